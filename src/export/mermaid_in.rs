//! Mermaid in: the flowchart subset (nodes with any of the usual shapes,
//! labelled edges and chains, `&`, subgraphs, `class` / `:::`) and
//! architecture-beta (groups, services, junctions, edges), turned into an
//! ordinary design laid out by [`crate::layout`].
//!
//! Kinds come from the classes our own export writes (`class c1 Cache`),
//! else from keywords in the name ("redis" is a cache, "kafka" a queue…),
//! else from an architecture icon, else Service. Edge styles give the
//! connection kind: dotted is asynchronous, thick is replication, solid is
//! a call (refined by what the two ends are). Errors say where, as
//! `line:column: message`; nothing is half-imported.
//!
//! Not supported (ignored without error): `style`, `classDef`, `linkStyle`,
//! `click`, `direction`, edges to subgraphs, invisible `~~~` links. A
//! junction's neighbours are joined through its first neighbour.

use std::collections::HashMap;

use thiserror::Error;

use crate::catalog::{ComponentKind, default_connection_kind};
use crate::layout::{Membership, tidy_with};
use crate::model::{
    Component, Connection, ConnectionKind, Diagram, Group, GroupKind, Id, Point, Policy, Rect,
};

/// Why a Mermaid text could not be imported. Lines and columns count from 1
/// (columns in characters).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{line}:{column}: {message}")]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Largest input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;
/// Longest line accepted, in characters (keeps the scans of one line cheap).
pub const MAX_LINE_CHARS: usize = 10_000;
/// Most nodes and edges accepted.
pub const MAX_NODES: usize = 20_000;
pub const MAX_EDGES: usize = 100_000;
const MAX_DEPTH: usize = 32;

/// An error at a place. Messages quote bits of the source, so control and
/// bidi characters in them are written as `\u{…}` escapes: printing an
/// error can never recolour a terminal or reorder what it shows.
fn err(line: usize, column: usize, message: impl Into<String>) -> ImportError {
    let message: String = message.into();
    let mut safe = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() || super::escape::is_bidi_control(c) {
            safe.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    ImportError {
        line,
        column,
        message: safe,
    }
}

/// How an edge was drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stroke {
    Solid,
    Dotted,
    Thick,
}

#[derive(Debug, Default)]
struct ParsedNode {
    name: Option<String>,
    class: Option<String>,
    icon: Option<String>,
    group: Option<usize>,
    junction: bool,
}

#[derive(Debug)]
struct ParsedGroup {
    key: String,
    title: String,
    class: Option<String>,
    parent: Option<usize>,
}

#[derive(Debug)]
struct ParsedEdge {
    from: usize,
    to: usize,
    label: String,
    stroke: Stroke,
}

/// What the source describes, before ids and positions.
#[derive(Debug, Default)]
struct Parsed {
    title: Option<String>,
    nodes: Vec<(String, ParsedNode)>,
    node_index: HashMap<String, usize>,
    groups: Vec<ParsedGroup>,
    group_index: HashMap<String, usize>,
    edges: Vec<ParsedEdge>,
}

impl Parsed {
    fn node(&mut self, key: &str, at: (usize, usize)) -> Result<usize, ImportError> {
        if let Some(&i) = self.node_index.get(key) {
            return Ok(i);
        }
        if self.nodes.len() >= MAX_NODES {
            return Err(err(at.0, at.1, format!("more than {MAX_NODES} nodes")));
        }
        let i = self.nodes.len();
        self.nodes.push((key.to_owned(), ParsedNode::default()));
        self.node_index.insert(key.to_owned(), i);
        Ok(i)
    }

    fn edge(&mut self, edge: ParsedEdge, at: (usize, usize)) -> Result<(), ImportError> {
        if self.edges.len() >= MAX_EDGES {
            return Err(err(at.0, at.1, format!("more than {MAX_EDGES} edges")));
        }
        self.edges.push(edge);
        Ok(())
    }
}

/// Imports a Mermaid flowchart or architecture-beta diagram as a design.
pub fn import_mermaid(text: &str) -> Result<Diagram, ImportError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(err(
            1,
            1,
            format!(
                "the text is larger than {} MB",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    if let Some(long) = lines
        .iter()
        .position(|l| l.chars().count() > MAX_LINE_CHARS)
    {
        return Err(err(
            long + 1,
            MAX_LINE_CHARS + 1,
            format!("the line is longer than {MAX_LINE_CHARS} characters"),
        ));
    }
    let mut parsed = Parsed::default();
    let mut i = 0;
    // Optional front matter with a title.
    while lines.get(i).is_some_and(|l| l.trim().is_empty()) {
        i += 1;
    }
    if lines.get(i).is_some_and(|l| l.trim() == "---") {
        let start = i;
        i += 1;
        loop {
            let Some(line) = lines.get(i) else {
                return Err(err(start + 1, 1, "the front matter (---) is never closed"));
            };
            i += 1;
            if line.trim() == "---" {
                break;
            }
            if let Some(rest) = line.trim().strip_prefix("title:") {
                parsed.title = Some(yaml_value(rest.trim()));
            }
        }
    }
    // The header.
    let header = loop {
        let Some(line) = lines.get(i) else {
            return Err(err(
                i.max(1),
                1,
                "no diagram: expected `flowchart`, `graph` or `architecture-beta`",
            ));
        };
        i += 1;
        let t = line.trim();
        if t.is_empty() || t.starts_with("%%") {
            continue;
        }
        break (i, line);
    };
    let (header_line, header_text) = header;
    let head = header_text.trim_start();
    let head_col = header_text.len() - head.len() + 1;
    let first_word = head
        .split(|c: char| c.is_whitespace() || c == ';')
        .next()
        .unwrap_or("");
    match first_word {
        "flowchart" | "graph" => {
            let rest = head[first_word.len()..].trim();
            let direction = rest.trim_end_matches(';').trim();
            if !direction.is_empty() && !matches!(direction, "LR" | "RL" | "TB" | "TD" | "BT") {
                return Err(err(
                    header_line,
                    head_col + first_word.len() + 1,
                    format!("unknown direction `{direction}` (use LR, RL, TB, TD or BT)"),
                ));
            }
            parse_flowchart(&lines, i, &mut parsed)?;
        }
        "architecture-beta" => parse_architecture(&lines, i, &mut parsed)?,
        _ => {
            return Err(err(
                header_line,
                head_col,
                format!(
                    "`{first_word}` is not a diagram this import reads: expected `flowchart`, `graph` or `architecture-beta`"
                ),
            ));
        }
    }
    Ok(build(parsed))
}

/// A YAML scalar: quotes removed; `\"`, `\\`, `\n` and `\uXXXX` unescaped in double quotes.
fn yaml_value(raw: &str) -> String {
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            out.push(c);
                        }
                    }
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        inner.replace("''", "'")
    } else {
        raw.to_owned()
    }
}

/// Undoes Mermaid's entity codes (`#35;`, `#quot;`…) and `<br>` breaks.
fn unescape_label(text: &str) -> String {
    let text = text
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(pos) = rest.find('#') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = after.find(';').and_then(|end| {
            let code = &after[..end];
            let c = match code {
                "quot" => Some('"'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ if !code.is_empty()
                    && code.len() <= 7
                    && code.chars().all(|c| c.is_ascii_digit()) =>
                {
                    code.parse::<u32>().ok().and_then(char::from_u32)
                }
                _ => None,
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('#');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A cursor over one line's characters; columns are 1-based.
struct Cursor {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    /// Column of `chars[0]`.
    base: usize,
}

impl Cursor {
    fn new(text: &str, line: usize, base: usize) -> Self {
        Self {
            chars: text.chars().collect(),
            pos: 0,
            line,
            base,
        }
    }

    fn at(&self) -> (usize, usize) {
        (self.line, self.base + self.pos)
    }

    fn error(&self, message: impl Into<String>) -> ImportError {
        err(self.line, self.base + self.pos, message)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(k, c)| self.peek_at(k) == Some(c))
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.chars.len()
    }

    /// An identifier: letters, digits, `_`, and `-` or `.` between them.
    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let joins = (c == '-' || c == '.')
                && self.pos > start
                && self
                    .peek_at(1)
                    .is_some_and(|n| n.is_alphanumeric() || n == '_');
            if c.is_alphanumeric() || c == '_' || joins {
                self.pos += 1;
            } else {
                break;
            }
        }
        (self.pos > start).then(|| self.chars[start..self.pos].iter().collect())
    }

    /// Text up to (not including) `close`, or a quoted string followed by
    /// `close`. Leaves the cursor after `close`.
    fn until(
        &mut self,
        close: &str,
        opened_at: (usize, usize),
        what: &str,
    ) -> Result<String, ImportError> {
        self.skip_spaces();
        if self.peek() == Some('"') {
            let quote_at = self.at();
            self.pos += 1;
            let start = self.pos;
            while self.peek().is_some_and(|c| c != '"') {
                self.pos += 1;
            }
            if self.done() {
                return Err(err(quote_at.0, quote_at.1, "this quote is never closed"));
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            self.pos += 1;
            self.skip_spaces();
            if !self.starts_with(close) {
                return Err(self.error(format!("expected `{close}` to close the {what}")));
            }
            self.pos += close.chars().count();
            return Ok(unescape_label(&text));
        }
        let start = self.pos;
        while !self.done() && !self.starts_with(close) {
            self.pos += 1;
        }
        if self.done() {
            return Err(err(
                opened_at.0,
                opened_at.1,
                format!("this {what} is never closed (expected `{close}`)"),
            ));
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        self.pos += close.chars().count();
        Ok(unescape_label(text.trim()))
    }
}

/// Splits a line into statements at `;` outside quotes, with the column of
/// each statement's first character.
fn statements(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut in_quote = false;
    let mut start_byte = 0;
    let mut start_col = 1;
    for (col, (byte, c)) in line.char_indices().enumerate() {
        match c {
            '"' => in_quote = !in_quote,
            ';' if !in_quote => {
                out.push((start_col, &line[start_byte..byte]));
                start_byte = byte + 1;
                start_col = col + 2;
            }
            _ => {}
        }
    }
    out.push((start_col, &line[start_byte..]));
    out
}

/// Node shapes: opener and the closers it accepts, longest openers first.
const SHAPES: &[(&str, &[&str])] = &[
    ("(((", &[")))"]),
    ("((", &["))"]),
    ("([", &["])"]),
    ("[(", &[")]"]),
    ("[[", &["]]"]),
    ("[/", &["/]", "\\]"]),
    ("[\\", &["\\]", "/]"]),
    ("{{", &["}}"]),
    ("(", &[")"]),
    ("[", &["]"]),
    ("{", &["}"]),
    (">", &["]"]),
];

fn parse_flowchart(lines: &[&str], first: usize, parsed: &mut Parsed) -> Result<(), ImportError> {
    let mut open: Vec<(usize, (usize, usize))> = Vec::new();
    for (index, line) in lines.iter().enumerate().skip(first) {
        let number = index + 1;
        for (col, statement) in statements(line) {
            let trimmed = statement.trim_start();
            let col = col + (statement.chars().count() - trimmed.chars().count());
            let trimmed = trimmed.trim_end();
            if trimmed.is_empty() || trimmed.starts_with("%%") {
                continue;
            }
            let mut cur = Cursor::new(trimmed, number, col);
            flow_statement(&mut cur, parsed, &mut open)?;
        }
    }
    if let Some((_, (line, column))) = open.last() {
        return Err(err(*line, *column, "this subgraph has no `end`"));
    }
    Ok(())
}

fn flow_statement(
    cur: &mut Cursor,
    parsed: &mut Parsed,
    open: &mut Vec<(usize, (usize, usize))>,
) -> Result<(), ImportError> {
    let start = cur.at();
    let word: String = cur
        .chars
        .iter()
        .take_while(|c| c.is_alphanumeric() || **c == '-')
        .collect();
    let rest_is_word_end = cur
        .chars
        .get(word.chars().count())
        .is_none_or(|c| c.is_whitespace());
    match word.as_str() {
        "subgraph" if rest_is_word_end => {
            cur.pos += word.chars().count();
            cur.skip_spaces();
            if open.len() >= MAX_DEPTH {
                return Err(cur.error(format!("subgraphs nest deeper than {MAX_DEPTH}")));
            }
            let (key, title) = if cur.peek() == Some('"') {
                let at = cur.at();
                let title = quoted_text(cur, at)?;
                (format!("subgraph {}", parsed.groups.len() + 1), title)
            } else {
                let Some(key) = cur.ident() else {
                    return Err(cur.error("expected the subgraph's id or title"));
                };
                cur.skip_spaces();
                if cur.peek() == Some('[') {
                    let at = cur.at();
                    cur.pos += 1;
                    let title = cur.until("]", at, "subgraph title")?;
                    (key, title)
                } else if cur.done() {
                    (key.clone(), key)
                } else {
                    // `subgraph Some words`: the whole rest is the title.
                    let rest: String = cur.chars[cur.pos..].iter().collect();
                    cur.pos = cur.chars.len();
                    let title = format!("{key} {}", rest.trim());
                    (title.clone(), title)
                }
            };
            cur.skip_spaces();
            if !cur.done() {
                return Err(cur.error("unexpected text after the subgraph's title"));
            }
            let index = parsed.groups.len();
            parsed.groups.push(ParsedGroup {
                key: key.clone(),
                title,
                class: None,
                parent: open.last().map(|(g, _)| *g),
            });
            parsed.group_index.insert(key, index);
            open.push((index, start));
            return Ok(());
        }
        "end" if rest_is_word_end && cur.chars.len() == 3 => {
            if open.pop().is_none() {
                return Err(cur.error("`end` without a subgraph to close"));
            }
            return Ok(());
        }
        "direction" | "classDef" | "style" | "linkStyle" | "click" if rest_is_word_end => {
            return Ok(());
        }
        "class" if rest_is_word_end => {
            cur.pos += word.chars().count();
            let rest: String = cur.chars[cur.pos..].iter().collect();
            let mut parts = rest.split_whitespace();
            let (Some(ids), Some(class)) = (parts.next(), parts.next()) else {
                return Err(cur.error("expected `class ids className`"));
            };
            for id in ids.split(',') {
                if let Some(&g) = parsed.group_index.get(id) {
                    if let Some(group) = parsed.groups.get_mut(g) {
                        group.class = Some(class.to_owned());
                    }
                } else if let Some(&n) = parsed.node_index.get(id)
                    && let Some((_, node)) = parsed.nodes.get_mut(n)
                {
                    node.class = Some(class.to_owned());
                }
            }
            return Ok(());
        }
        _ => {}
    }
    // A chain: nodes (joined by `&`) separated by edges.
    let group = open.last().map(|(g, _)| *g);
    let mut previous: Vec<usize> = flow_nodes(cur, parsed, group)?;
    loop {
        cur.skip_spaces();
        if cur.done() {
            return Ok(());
        }
        let at = cur.at();
        let Some((stroke, label, visible)) = flow_arrow(cur)? else {
            return Err(cur.error(format!(
                "unexpected `{}`: expected an arrow such as `-->` or the end of the line",
                cur.peek().unwrap_or(' ')
            )));
        };
        cur.skip_spaces();
        if cur.done() {
            return Err(cur.error("this arrow has no node after it"));
        }
        let next = flow_nodes(cur, parsed, group)?;
        if visible {
            for &a in &previous {
                for &b in &next {
                    parsed.edge(
                        ParsedEdge {
                            from: a,
                            to: b,
                            label: label.clone(),
                            stroke,
                        },
                        at,
                    )?;
                }
            }
        }
        previous = next;
    }
}

fn quoted_text(cur: &mut Cursor, at: (usize, usize)) -> Result<String, ImportError> {
    cur.pos += 1;
    let start = cur.pos;
    while cur.peek().is_some_and(|c| c != '"') {
        cur.pos += 1;
    }
    if cur.done() {
        return Err(err(at.0, at.1, "this quote is never closed"));
    }
    let text: String = cur.chars[start..cur.pos].iter().collect();
    cur.pos += 1;
    Ok(unescape_label(&text))
}

/// `node (& node)*`; returns the nodes' indices. Subgraph ids used as
/// nodes are dropped (edges to groups are not supported).
fn flow_nodes(
    cur: &mut Cursor,
    parsed: &mut Parsed,
    group: Option<usize>,
) -> Result<Vec<usize>, ImportError> {
    let mut out = Vec::new();
    loop {
        cur.skip_spaces();
        let at = cur.at();
        let Some(key) = cur.ident() else {
            return Err(cur.error(match cur.peek() {
                Some(c) => format!("expected a node id, found `{c}`"),
                None => "expected a node id".to_owned(),
            }));
        };
        let mut label = None;
        for (open, closers) in SHAPES {
            if cur.starts_with(open) {
                let opened = cur.at();
                cur.pos += open.chars().count();
                // The first closer that appears wins.
                let rest: String = cur.chars[cur.pos..].iter().collect();
                let quoted = rest.trim_start().starts_with('"');
                let close = if quoted {
                    closers.first().copied().unwrap_or("]")
                } else {
                    closers
                        .iter()
                        .filter_map(|c| rest.find(c).map(|p| (p, *c)))
                        .min()
                        .map_or(closers.first().copied().unwrap_or("]"), |(_, c)| c)
                };
                label = Some(cur.until(close, opened, "node shape")?);
                break;
            }
        }
        let mut class = None;
        if cur.starts_with(":::") {
            cur.pos += 3;
            class = cur.ident();
        }
        if parsed.group_index.contains_key(&key) && label.is_none() {
            // An edge to a subgraph: not representable; skip the node.
        } else {
            let index = parsed.node(&key, at)?;
            if let Some((_, node)) = parsed.nodes.get_mut(index) {
                if label.is_some() {
                    node.name = label;
                }
                if class.is_some() {
                    node.class = class;
                }
                if node.group.is_none() {
                    node.group = group;
                }
            }
            out.push(index);
        }
        cur.skip_spaces();
        if cur.peek() == Some('&') {
            cur.pos += 1;
            continue;
        }
        return Ok(out);
    }
}

/// An arrow at the cursor: its stroke, label and whether it is drawn.
fn flow_arrow(cur: &mut Cursor) -> Result<Option<(Stroke, String, bool)>, ImportError> {
    let start = cur.pos;
    let at = cur.at();
    if cur.peek() == Some('<') {
        cur.pos += 1;
    }
    let body_start = cur.pos;
    while cur
        .peek()
        .is_some_and(|c| matches!(c, '-' | '.' | '=' | '~'))
    {
        cur.pos += 1;
    }
    let body: String = cur.chars[body_start..cur.pos].iter().collect();
    if body.chars().count() < 2 {
        cur.pos = start;
        return Ok(None);
    }
    let mut label = String::new();
    let mut full = body.clone();
    // `-- text -->`, `-. text .->`, `== text ==>`: text, then the rest.
    let head_follows = cur.peek().is_some_and(|c| matches!(c, '>' | 'x' | 'o'))
        && cur
            .peek_at(1)
            .is_none_or(|c| c.is_whitespace() || c.is_alphanumeric() || c == '"')
        && !(cur.peek() != Some('>') && cur.peek_at(1).is_some_and(char::is_alphanumeric));
    if !head_follows
        && matches!(body.as_str(), "--" | "==" | "-.")
        && cur.peek().is_some_and(char::is_whitespace)
    {
        let closer = match body.as_str() {
            "--" => "--",
            "==" => "==",
            _ => ".-",
        };
        let rest: String = cur.chars[cur.pos..].iter().collect();
        let Some(end) = rest.find(closer) else {
            return Err(err(
                at.0,
                at.1,
                format!("this arrow's text is never closed (expected `{closer}`)"),
            ));
        };
        label = unescape_label(rest[..end].trim().trim_matches('"'));
        cur.pos += rest[..end].chars().count();
        while cur.peek().is_some_and(|c| matches!(c, '-' | '.' | '=')) {
            full.push(cur.peek().unwrap_or('-'));
            cur.pos += 1;
        }
    }
    if cur.peek().is_some_and(|c| matches!(c, '>' | 'x' | 'o')) {
        let head = cur.peek().unwrap_or('>');
        if head == '>' || cur.peek_at(1).is_none_or(char::is_whitespace) {
            cur.pos += 1;
        }
    }
    cur.skip_spaces();
    if cur.peek() == Some('|') {
        let opened = cur.at();
        cur.pos += 1;
        label = cur.until("|", opened, "edge label")?;
    }
    let visible = !full.contains('~');
    let stroke = if full.contains('=') {
        Stroke::Thick
    } else if full.contains('.') {
        Stroke::Dotted
    } else {
        Stroke::Solid
    };
    Ok(Some((stroke, label, visible)))
}

fn parse_architecture(
    lines: &[&str],
    first: usize,
    parsed: &mut Parsed,
) -> Result<(), ImportError> {
    let mut junction_edges: Vec<(usize, usize, (usize, usize))> = Vec::new();
    for (index, line) in lines.iter().enumerate().skip(first) {
        let number = index + 1;
        let trimmed = line.trim_start();
        let col = line.chars().count() - trimmed.chars().count() + 1;
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() || trimmed.starts_with("%%") {
            continue;
        }
        let mut cur = Cursor::new(trimmed, number, col);
        let word = cur.ident().unwrap_or_default();
        match word.as_str() {
            "group" | "service" | "junction" => {
                cur.skip_spaces();
                let at = cur.at();
                let Some(key) = cur.ident() else {
                    return Err(cur.error(format!("expected the {word}'s id")));
                };
                let mut icon = None;
                let mut title = None;
                if cur.peek() == Some('(') {
                    let opened = cur.at();
                    cur.pos += 1;
                    icon = Some(cur.until(")", opened, "icon")?);
                }
                if cur.peek() == Some('[') {
                    let opened = cur.at();
                    cur.pos += 1;
                    title = Some(cur.until("]", opened, "title")?);
                }
                cur.skip_spaces();
                let mut parent = None;
                if cur.starts_with("in") && cur.peek_at(2).is_some_and(char::is_whitespace) {
                    cur.pos += 2;
                    cur.skip_spaces();
                    let parent_at = cur.at();
                    let Some(name) = cur.ident() else {
                        return Err(cur.error("expected a group id after `in`"));
                    };
                    let Some(&g) = parsed.group_index.get(&name) else {
                        return Err(err(
                            parent_at.0,
                            parent_at.1,
                            format!("there is no group `{name}` (define it first)"),
                        ));
                    };
                    parent = Some(g);
                }
                cur.skip_spaces();
                if !cur.done() {
                    return Err(cur.error(format!("unexpected `{}`", cur.peek().unwrap_or(' '))));
                }
                if word == "group" {
                    if parsed.group_index.contains_key(&key) {
                        return Err(err(
                            at.0,
                            at.1,
                            format!("the group `{key}` is defined twice"),
                        ));
                    }
                    let depth = std::iter::successors(parent, |g| {
                        parsed.groups.get(*g).and_then(|p| p.parent)
                    })
                    .count();
                    if depth >= MAX_DEPTH {
                        return Err(err(
                            at.0,
                            at.1,
                            format!("groups nest deeper than {MAX_DEPTH}"),
                        ));
                    }
                    parsed.group_index.insert(key.clone(), parsed.groups.len());
                    parsed.groups.push(ParsedGroup {
                        title: title.unwrap_or_else(|| key.clone()),
                        key,
                        class: icon,
                        parent,
                    });
                } else {
                    if parsed.node_index.contains_key(&key) {
                        return Err(err(at.0, at.1, format!("`{key}` is defined twice")));
                    }
                    let i = parsed.node(&key, at)?;
                    if let Some((_, node)) = parsed.nodes.get_mut(i) {
                        node.name = title;
                        node.icon = icon;
                        node.group = parent;
                        node.junction = word == "junction";
                    }
                }
            }
            _ => {
                // An edge: `a:R --> L:b`, `a{group}:B -- T:b`, `<-->`.
                cur.pos = 0;
                let from_at = cur.at();
                let from = arch_endpoint(&mut cur, parsed, true)?;
                cur.skip_spaces();
                let arrow_at = cur.at();
                let mut arrow = String::new();
                while cur.peek().is_some_and(|c| matches!(c, '<' | '-' | '>')) {
                    arrow.push(cur.peek().unwrap_or('-'));
                    cur.pos += 1;
                }
                if !matches!(arrow.as_str(), "--" | "-->" | "<--" | "<-->") {
                    return Err(err(
                        arrow_at.0,
                        arrow_at.1,
                        "expected `--`, `-->`, `<--` or `<-->` between two services",
                    ));
                }
                cur.skip_spaces();
                let to = arch_endpoint(&mut cur, parsed, false)?;
                cur.skip_spaces();
                if !cur.done() {
                    return Err(cur.error(format!("unexpected `{}`", cur.peek().unwrap_or(' '))));
                }
                let (from, to) = if arrow == "<--" {
                    (to, from)
                } else {
                    (from, to)
                };
                junction_edges.push((from, to, from_at));
            }
        }
    }
    // Junctions: their neighbours are joined through the first one.
    let is_junction =
        |parsed: &Parsed, i: usize| parsed.nodes.get(i).is_some_and(|(_, n)| n.junction);
    // Per junction: the services wired into it, then those it wires to,
    // each with where its edge was written.
    type Ends = Vec<(usize, (usize, usize))>;
    let mut neighbours: HashMap<usize, (Ends, Ends)> = HashMap::new();
    for &(a, b, at) in &junction_edges {
        match (is_junction(parsed, a), is_junction(parsed, b)) {
            (false, false) => parsed.edge(
                ParsedEdge {
                    from: a,
                    to: b,
                    label: String::new(),
                    stroke: Stroke::Solid,
                },
                at,
            )?,
            (true, false) => neighbours.entry(a).or_default().1.push((b, at)),
            (false, true) => neighbours.entry(b).or_default().0.push((a, at)),
            (true, true) => {}
        }
    }
    let mut junctions: Vec<(usize, (Ends, Ends))> = neighbours.into_iter().collect();
    junctions.sort_unstable_by_key(|(j, _)| *j);
    for (_, (incoming, outgoing)) in junctions {
        let mut list = incoming.into_iter().chain(outgoing);
        let Some((first, _)) = list.next() else {
            continue;
        };
        for (other, at) in list {
            if other != first {
                parsed.edge(
                    ParsedEdge {
                        from: first,
                        to: other,
                        label: String::new(),
                        stroke: Stroke::Solid,
                    },
                    at,
                )?;
            }
        }
    }
    Ok(())
}

/// `id{group}?:S` before an arrow or `S:id{group}?` after it.
fn arch_endpoint(
    cur: &mut Cursor,
    parsed: &Parsed,
    before_arrow: bool,
) -> Result<usize, ImportError> {
    let side = |cur: &mut Cursor| -> Result<(), ImportError> {
        match cur.peek() {
            Some('L' | 'R' | 'T' | 'B') => {
                cur.pos += 1;
                Ok(())
            }
            _ => Err(cur.error("expected a side: L, R, T or B")),
        }
    };
    if !before_arrow {
        side(cur)?;
        if cur.peek() != Some(':') {
            return Err(cur.error("expected `:` between the side and the service"));
        }
        cur.pos += 1;
    }
    let at = cur.at();
    let Some(key) = cur.ident() else {
        return Err(cur.error("expected a service id"));
    };
    if cur.starts_with("{group}") {
        cur.pos += "{group}".len();
    }
    let Some(&index) = parsed.node_index.get(&key) else {
        return Err(err(
            at.0,
            at.1,
            format!("there is no service or junction `{key}`"),
        ));
    };
    if before_arrow {
        if cur.peek() != Some(':') {
            return Err(cur.error("expected `:` and a side after the service"));
        }
        cur.pos += 1;
        side(cur)?;
    }
    Ok(index)
}

/// Keywords that name a kind, most specific first: whole words or phrases
/// of the lower-case name.
const KEYWORDS: &[(ComponentKind, &[&str])] = &[
    (
        ComponentKind::EventStore,
        &["event store", "eventstore", "event log", "event sourcing"],
    ),
    (
        ComponentKind::Cache,
        &["redis", "cache", "memcached", "memcache", "valkey"],
    ),
    (
        ComponentKind::Queue,
        &[
            "queue",
            "service bus",
            "servicebus",
            "kafka",
            "rabbitmq",
            "rabbit",
            "sqs",
            "sns",
            "topic",
            "event hub",
            "event hubs",
            "eventhub",
            "pubsub",
            "pub sub",
            "nats",
            "broker",
        ],
    ),
    (
        ComponentKind::DocumentDb,
        &[
            "cosmos",
            "cosmosdb",
            "mongo",
            "mongodb",
            "dynamo",
            "dynamodb",
            "document",
            "couchdb",
            "firestore",
            "nosql",
        ],
    ),
    (
        ComponentKind::SearchIndex,
        &["search", "elasticsearch", "elastic", "opensearch", "solr"],
    ),
    (
        ComponentKind::ObjectStorage,
        &[
            "blob",
            "blobs",
            "s3",
            "bucket",
            "object storage",
            "storage",
            "files",
            "archive",
            "backups",
        ],
    ),
    (
        ComponentKind::RelationalDb,
        &[
            "postgres",
            "postgresql",
            "mysql",
            "sql",
            "mariadb",
            "oracle",
            "database",
            "db",
            "rds",
        ],
    ),
    (
        ComponentKind::Cdn,
        &["cdn", "front door", "cloudfront", "akamai", "fastly"],
    ),
    (
        ComponentKind::TrafficManager,
        &[
            "traffic manager",
            "route 53",
            "route53",
            "dns",
            "global load balancer",
        ],
    ),
    (
        ComponentKind::LoadBalancer,
        &[
            "load balancer",
            "loadbalancer",
            "lb",
            "nginx",
            "haproxy",
            "elb",
            "alb",
            "ingress",
        ],
    ),
    (
        ComponentKind::ApiGateway,
        &[
            "api gateway",
            "gateway",
            "api management",
            "apim",
            "kong",
            "yarp",
        ],
    ),
    (
        ComponentKind::RealtimeHub,
        &[
            "signalr",
            "websocket",
            "websockets",
            "realtime",
            "real time",
            "hub",
            "socket",
        ],
    ),
    (
        ComponentKind::IdentityProvider,
        &[
            "identity", "auth", "oauth", "oidc", "entra", "okta", "auth0", "keycloak", "idp",
            "login", "sso",
        ],
    ),
    (
        ComponentKind::LogSink,
        &[
            "log",
            "logs",
            "logging",
            "splunk",
            "loki",
            "log analytics",
            "elk",
        ],
    ),
    (
        ComponentKind::Metrics,
        &[
            "metrics",
            "prometheus",
            "grafana",
            "monitor",
            "monitoring",
            "alerts",
            "alerting",
        ],
    ),
    (
        ComponentKind::Tracing,
        &[
            "tracing",
            "traces",
            "jaeger",
            "zipkin",
            "otel",
            "opentelemetry",
            "app insights",
            "insights",
        ],
    ),
    (
        ComponentKind::Analytics,
        &[
            "analytics",
            "warehouse",
            "spark",
            "databricks",
            "bigquery",
            "stream analytics",
        ],
    ),
    (
        ComponentKind::Workflow,
        &[
            "workflow",
            "saga",
            "orchestrator",
            "step functions",
            "durable functions",
        ],
    ),
    (
        ComponentKind::ExternalService,
        &[
            "stripe",
            "payment provider",
            "twilio",
            "sendgrid",
            "external",
            "third party",
            "smtp",
            "email",
            "sms",
            "paypal",
        ],
    ),
    (
        ComponentKind::Worker,
        &[
            "worker",
            "workers",
            "consumer",
            "processor",
            "job",
            "jobs",
            "cron",
            "function",
            "functions",
            "lambda",
        ],
    ),
    (
        ComponentKind::Client,
        &[
            "browser", "mobile", "client", "clients", "ios", "android", "spa", "desktop",
        ],
    ),
    // Last: "Orders API" or "Billing service" is a plain service, once the
    // more specific kinds above ("API gateway", "Service Bus") had their turn.
    (
        ComponentKind::Service,
        &[
            "api",
            "apis",
            "service",
            "services",
            "svc",
            "microservice",
            "backend",
            "server",
        ],
    ),
];

/// The kind a name suggests, if any (see [`KEYWORDS`]).
pub fn kind_from_name(name: &str) -> Option<ComponentKind> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() == 1 && matches!(words.first().map(String::as_str), Some("user" | "users")) {
        return Some(ComponentKind::Client);
    }
    let padded = format!(" {} ", words.join(" "));
    KEYWORDS
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| padded.contains(&format!(" {p} "))))
        .map(|(kind, _)| *kind)
}

fn kind_from_class(class: &str) -> Option<ComponentKind> {
    ComponentKind::all().find(|k| format!("{k:?}").eq_ignore_ascii_case(class))
}

fn kind_from_icon(icon: &str) -> Option<ComponentKind> {
    match icon {
        "database" => Some(ComponentKind::RelationalDb),
        "disk" => Some(ComponentKind::ObjectStorage),
        "internet" => Some(ComponentKind::ExternalService),
        "server" => Some(ComponentKind::Service),
        _ => None,
    }
}

fn group_kind(class: Option<&str>, title: &str) -> GroupKind {
    if let Some(class) = class
        && let Some(kind) = GroupKind::ALL
            .into_iter()
            .find(|k| format!("group{k:?}").eq_ignore_ascii_case(class))
    {
        return kind;
    }
    let lower = format!(" {} ", title.to_lowercase());
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["tenant"]) {
        GroupKind::Tenant
    } else if has(&["zone", " az ", "availability"]) {
        GroupKind::Zone
    } else if has(&["vnet", "network", "subnet", "vpc", "dmz"]) {
        GroupKind::Network
    } else if has(&["cluster", "aks", "k8s", "kubernetes", "eks", "gke"]) {
        GroupKind::Cluster
    } else {
        GroupKind::Region
    }
}

/// Turns what was parsed into a laid-out design.
fn build(parsed: Parsed) -> Diagram {
    let mut d = Diagram::new(
        parsed
            .title
            .clone()
            .unwrap_or_else(|| "Imported from Mermaid".to_owned()),
    );
    let mut next = 1u64;
    let mut fresh = || {
        let id = Id(next);
        next += 1;
        id
    };
    let mut node_ids: Vec<Option<Id>> = Vec::with_capacity(parsed.nodes.len());
    let mut members = Membership::default();
    let group_ids: Vec<Id> = parsed.groups.iter().map(|_| fresh()).collect();
    for (key, node) in &parsed.nodes {
        if node.junction {
            node_ids.push(None);
            continue;
        }
        let id = fresh();
        let name = node
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| key.clone());
        let kind = node
            .class
            .as_deref()
            .and_then(kind_from_class)
            .or_else(|| kind_from_name(&name))
            .or_else(|| (name != *key).then(|| kind_from_name(key)).flatten())
            .or_else(|| node.icon.as_deref().and_then(kind_from_icon))
            .unwrap_or(ComponentKind::Service);
        if let Some(g) = node.group.and_then(|g| group_ids.get(g)) {
            members.component_parent.insert(id, *g);
        }
        d.components.push(Component {
            id,
            kind,
            name,
            position: Point::default(),
            properties: kind.default_properties(),
        });
        node_ids.push(Some(id));
    }
    for (i, g) in parsed.groups.iter().enumerate() {
        let Some(&id) = group_ids.get(i) else {
            continue;
        };
        if let Some(p) = g.parent.and_then(|p| group_ids.get(p)) {
            members.group_parent.insert(id, *p);
        }
        d.groups.push(Group {
            id,
            kind: group_kind(g.class.as_deref(), &g.title),
            label: if g.title.trim().is_empty() {
                g.key.clone()
            } else {
                g.title.clone()
            },
            rect: Rect::new(0.0, 0.0, 240.0, 120.0),
        });
    }
    let kind_of = |id: Id, d: &Diagram| d.component(id).map(|c| c.kind);
    let mut connections = Vec::new();
    for e in &parsed.edges {
        let (Some(Some(from)), Some(Some(to))) = (node_ids.get(e.from), node_ids.get(e.to)) else {
            continue;
        };
        if from == to {
            continue; // A design has no self-connections.
        }
        let (Some(a), Some(b)) = (kind_of(*from, &d), kind_of(*to, &d)) else {
            continue;
        };
        let inferred = default_connection_kind(a, b);
        let kind = match e.stroke {
            Stroke::Thick => ConnectionKind::Replication,
            Stroke::Dotted
                if matches!(
                    inferred,
                    ConnectionKind::Publish | ConnectionKind::Consume | ConnectionKind::Push
                ) =>
            {
                inferred
            }
            Stroke::Dotted => ConnectionKind::Publish,
            Stroke::Solid if inferred.is_synchronous() => inferred,
            Stroke::Solid => ConnectionKind::Request,
        };
        connections.push(Connection {
            id: Id(0),
            from: *from,
            to: *to,
            kind,
            label: e.label.clone(),
            policy: Policy::default(),
            idempotent: false,
        });
    }
    for mut c in connections {
        c.id = fresh();
        d.connections.push(c);
    }
    d.next_id = next;
    d.sort_items();
    let tidy = tidy_with(&d, None, &members);
    tidy.apply_to(&mut d);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_pick_kinds_and_anything_else_is_a_service() {
        assert_eq!(kind_from_name("Redis"), Some(ComponentKind::Cache));
        assert_eq!(kind_from_name("Orders queue"), Some(ComponentKind::Queue));
        assert_eq!(
            kind_from_name("Azure Service Bus"),
            Some(ComponentKind::Queue)
        );
        assert_eq!(kind_from_name("Kafka"), Some(ComponentKind::Queue));
        assert_eq!(
            kind_from_name("Orders DB"),
            Some(ComponentKind::RelationalDb)
        );
        assert_eq!(
            kind_from_name("Catalog"),
            None,
            "`log` is not a word of `Catalog`"
        );
        assert_eq!(kind_from_name("Users"), Some(ComponentKind::Client));
        assert_eq!(kind_from_name("User service"), Some(ComponentKind::Service));
        assert_eq!(kind_from_name("Orders API"), Some(ComponentKind::Service));
        assert_eq!(
            kind_from_name("Orders API gateway"),
            Some(ComponentKind::ApiGateway)
        );
        let d = import_mermaid("flowchart LR\n  a[Checkout] --> b[Redis]\n").unwrap();
        assert_eq!(d.components[0].kind, ComponentKind::Service);
        assert_eq!(d.components[1].kind, ComponentKind::Cache);
        assert_eq!(d.connections[0].kind, ConnectionKind::Read);
    }

    #[test]
    fn flowchart_shapes_chains_labels_and_subgraphs() {
        let text = "%% a comment\ngraph TD\n  subgraph east[\"East US\"]\n    api([API]) -->|\"get #35;1\"| db[(Orders DB)]\n  end\n  web>Web] -- calls --> api & worker{{Worker}}\n  api -.-> q[[Jobs queue]]; q ==> q2[(Replica)]\n  a --- b\n";
        let d = import_mermaid(text).unwrap();
        let names: Vec<&str> = d.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "API",
                "Orders DB",
                "Web",
                "Worker",
                "Jobs queue",
                "Replica",
                "a",
                "b"
            ]
        );
        assert_eq!(d.groups.len(), 1);
        assert_eq!(d.groups[0].label, "East US");
        let labels: Vec<&str> = d.connections.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["get #1", "calls", "calls", "", "", ""]);
        assert_eq!(d.connections[3].kind, ConnectionKind::Publish);
        assert_eq!(d.connections[4].kind, ConnectionKind::Replication);
        let group = d.groups[0].rect;
        assert!(
            group.contains_rect(d.components[0].rect())
                && group.contains_rect(d.components[1].rect())
        );
        d.check_integrity().unwrap();
    }

    #[test]
    fn every_arrow_form_connects_its_ends() {
        let cases = [
            ("A --> B", vec![("A", "B", "")], Stroke::Solid),
            ("A-->B", vec![("A", "B", "")], Stroke::Solid),
            ("A ---> B", vec![("A", "B", "")], Stroke::Solid),
            ("A --- B", vec![("A", "B", "")], Stroke::Solid),
            ("A --x B", vec![("A", "B", "")], Stroke::Solid),
            ("A --o B", vec![("A", "B", "")], Stroke::Solid),
            ("A <--> B", vec![("A", "B", "")], Stroke::Solid),
            ("A -- calls --> B", vec![("A", "B", "calls")], Stroke::Solid),
            ("A -->|calls| B", vec![("A", "B", "calls")], Stroke::Solid),
            (
                "A -. sends .-> B",
                vec![("A", "B", "sends")],
                Stroke::Dotted,
            ),
            ("A -.-> B", vec![("A", "B", "")], Stroke::Dotted),
            (
                "A == copies ==> B",
                vec![("A", "B", "copies")],
                Stroke::Thick,
            ),
            ("A ==> B", vec![("A", "B", "")], Stroke::Thick),
            (
                "A --> B --> C",
                vec![("A", "B", ""), ("B", "C", "")],
                Stroke::Solid,
            ),
            (
                "A & B --> C & D",
                vec![
                    ("A", "C", ""),
                    ("A", "D", ""),
                    ("B", "C", ""),
                    ("B", "D", ""),
                ],
                Stroke::Solid,
            ),
            ("A ~~~ B", vec![], Stroke::Solid),
            ("xray --> oscar", vec![("xray", "oscar", "")], Stroke::Solid),
        ];
        for (line, expected, stroke) in cases {
            let mut parsed = Parsed::default();
            parse_flowchart(&[line], 0, &mut parsed).unwrap_or_else(|e| panic!("{line}: {e}"));
            let name = |i: usize| parsed.nodes[i].0.clone();
            let got: Vec<(String, String, String)> = parsed
                .edges
                .iter()
                .map(|e| (name(e.from), name(e.to), e.label.clone()))
                .collect();
            let want: Vec<(String, String, String)> = expected
                .iter()
                .map(|(a, b, l)| (a.to_string(), b.to_string(), l.to_string()))
                .collect();
            assert_eq!(got, want, "{line}");
            assert!(parsed.edges.iter().all(|e| e.stroke == stroke), "{line}");
        }
    }

    #[test]
    fn architecture_beta_groups_services_and_edges() {
        let text = "architecture-beta\n    group api(cloud)[API]\n    service db(database)[Database] in api\n    service disk1(disk)[Storage] in api\n    service server(server)[Server] in api\n    junction j in api\n    db:L -- R:server\n    disk1:T -- B:server\n    server:R --> L:j\n";
        let d = import_mermaid(text).unwrap();
        assert_eq!(d.components.len(), 3);
        assert_eq!(d.groups.len(), 1);
        assert_eq!(d.connections.len(), 2);
        let kinds: Vec<ComponentKind> = d.components.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ComponentKind::RelationalDb,
                ComponentKind::ObjectStorage,
                ComponentKind::Service
            ]
        );
        d.check_integrity().unwrap();
    }

    proptest::proptest! {
        /// Any text gives a design or an error, never a panic, and a design
        /// that comes out is whole.
        #[test]
        fn any_text_imports_or_fails_cleanly(
            body in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("-->".to_owned()),
                    proptest::strategy::Just("-.-".to_owned()),
                    proptest::strategy::Just("subgraph ".to_owned()),
                    proptest::strategy::Just("end\n".to_owned()),
                    proptest::strategy::Just("[\"".to_owned()),
                    proptest::strategy::Just("]".to_owned()),
                    proptest::strategy::Just("|".to_owned()),
                    proptest::strategy::Just(":L -- R:".to_owned()),
                    "[a-z(){}<>&;:#\" \n\\[\\]-]{0,6}",
                ],
                0..40,
            ),
            header in proptest::prop_oneof![
                proptest::strategy::Just("flowchart LR\n"),
                proptest::strategy::Just("architecture-beta\n"),
                proptest::strategy::Just(""),
            ],
        ) {
            let text = format!("{header}{}", body.concat());
            match import_mermaid(&text) {
                Ok(d) => proptest::prop_assert!(d.check_integrity().is_ok()),
                Err(e) => proptest::prop_assert!(e.line >= 1 && e.column >= 1, "{e}"),
            }
        }
    }

    #[test]
    fn errors_never_carry_terminal_control_characters() {
        let e = import_mermaid("flowchart LR\n  a --> b \u{1b}[31m\u{202e}\n").unwrap_err();
        assert!(!e.to_string().chars().any(|c| c.is_control()), "{e}");
        assert!(e.message.contains("\\u{1b}"), "{e}");
        let e = import_mermaid("\u{1b}]0;title\u{7}\n").unwrap_err();
        assert!(
            !e.to_string()
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}'),
            "{e}"
        );
    }

    #[test]
    fn a_very_long_line_is_refused_not_scanned() {
        let text = format!("flowchart LR\n{}\n", "a --> ".repeat(3_000));
        let e = import_mermaid(&text).unwrap_err();
        assert_eq!((e.line, e.column), (2, MAX_LINE_CHARS + 1));
    }

    #[test]
    fn malformed_input_says_where() {
        let cases = [
            ("flowchart LR\n  a[Open --> b\n", 2, 4, "never closed"),
            ("flowchart LR\n  a --> \n", 2, 8, "no node"),
            ("flowchart LR\n  end\n", 2, 3, "without a subgraph"),
            ("flowchart LR\n  subgraph x\n  a\n", 2, 3, "no `end`"),
            ("sequenceDiagram\n  a->>b: hi\n", 1, 1, "not a diagram"),
            ("flowchart LR\n  a --> b ]\n", 2, 11, "unexpected"),
            (
                "architecture-beta\n  service a(server)[A] in nowhere\n",
                2,
                27,
                "no group",
            ),
            ("architecture-beta\n  a:L -- R:b\n", 2, 3, "no service"),
            ("flowchart LR\n  a[\"quoted] --> b\n", 2, 5, "quote"),
            ("flowchart XY\n", 1, 11, "direction"),
        ];
        for (text, line, column, words) in cases {
            let e = import_mermaid(text).unwrap_err();
            assert_eq!((e.line, e.column), (line, column), "{text:?}: {e}");
            assert!(e.message.contains(words), "{text:?}: {e}");
        }
    }
}
