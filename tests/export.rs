//! Export and import through the library: golden files of a small fixed
//! design, Mermaid round trips of every template, PDF pages per step, and
//! hostile names through every format.
//!
//! Regenerate the golden files with `ARCHBOARD_BLESS=1 cargo test --test export`.

// The whole file is test code: a panic in a helper is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use archboard::catalog::ComponentKind;
use archboard::export::{self, Scope, SvgOptions, Theme};
use archboard::model::{
    Component, Connection, ConnectionKind, Diagram, Group, GroupKind, Id, Note, Point, Policy,
    Rect, Retry, Step,
};

fn component(id: u64, kind: ComponentKind, name: &str, x: f32, y: f32) -> Component {
    Component {
        id: Id(id),
        kind,
        name: name.to_owned(),
        position: Point::new(x, y),
        properties: kind.default_properties(),
    }
}

fn connection(id: u64, from: u64, to: u64, kind: ConnectionKind, label: &str) -> Connection {
    Connection {
        id: Id(id),
        from: Id(from),
        to: Id(to),
        kind,
        label: label.to_owned(),
        policy: Policy::default(),
        idempotent: false,
    }
}

/// A small design that uses a bit of everything the export draws.
fn small_design() -> Diagram {
    let mut d = Diagram::new("Orders & payments");
    let mut api = component(2, ComponentKind::Service, "Orders API", 320.0, 100.0);
    api.properties.instances = Some(3);
    api.properties.tracing = Some(true);
    let mut db = component(3, ComponentKind::RelationalDb, "Orders DB", 640.0, 100.0);
    db.properties.replicas = Some(1);
    let mut queue = component(4, ComponentKind::Queue, "Order events", 640.0, 260.0);
    queue.properties.dead_letter_queue = Some(true);
    d.components = vec![
        component(1, ComponentKind::Client, "Web app", 0.0, 100.0),
        api,
        db,
        queue,
        component(5, ComponentKind::Worker, "Emailer", 960.0, 260.0),
        component(
            6,
            ComponentKind::RelationalDb,
            "Orders DB replica",
            960.0,
            100.0,
        ),
    ];
    let mut call = connection(7, 1, 2, ConnectionKind::Request, "place order");
    call.policy = Policy {
        timeout_ms: Some(2_000),
        retry: Retry::ExponentialJitter,
        max_retries: 3,
        circuit_breaker: true,
        ..Policy::default()
    };
    d.connections = vec![
        call,
        connection(8, 2, 3, ConnectionKind::Write, "insert"),
        connection(9, 2, 4, ConnectionKind::Publish, "OrderPlaced"),
        connection(10, 4, 5, ConnectionKind::Consume, ""),
        connection(11, 3, 6, ConnectionKind::Replication, ""),
    ];
    d.groups = vec![Group {
        id: Id(12),
        kind: GroupKind::Region,
        label: "West Europe".to_owned(),
        rect: Rect::new(290.0, 40.0, 930.0, 340.0),
    }];
    d.notes = vec![Note {
        id: Id(13),
        text: "Payments are out of scope: the order is the source of truth.".to_owned(),
        rect: Rect::new(0.0, 260.0, 220.0, 90.0),
    }];
    d.steps = vec![
        Step {
            title: "The request path".to_owned(),
            revealed: vec![Id(1), Id(2), Id(3), Id(7), Id(8)],
        },
        Step {
            title: "Events".to_owned(),
            revealed: vec![Id(4), Id(5), Id(9), Id(10), Id(6), Id(11), Id(12), Id(13)],
        },
    ];
    d.next_id = 14;
    d.check_integrity().unwrap();
    d
}

/// Compares `actual` with the golden file, or rewrites it when blessing.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("ARCHBOARD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with ARCHBOARD_BLESS=1", path.display()));
    assert!(
        expected == actual,
        "{name} changed; if that is intended, rerun with ARCHBOARD_BLESS=1\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn golden_svg_of_a_small_design() {
    let d = small_design();
    let svg = export::svg(&d, &SvgOptions::default());
    golden("small.svg", &svg);
    // Stable: the same design gives the same bytes.
    assert_eq!(export::svg(&d, &SvgOptions::default()), svg);
    let dark = export::svg(
        &d,
        &SvgOptions {
            theme: Theme::Dark,
            findings: true,
            ..SvgOptions::default()
        },
    );
    golden("small-dark-findings.svg", &dark);
}

#[test]
fn golden_text_formats_of_a_small_design() {
    let d = small_design();
    golden("small.mmd", &export::mermaid(&d));
    golden("small-architecture.mmd", &export::mermaid_architecture(&d));
    golden("small.d2", &export::d2(&d));
    golden("small.dot", &export::dot(&d));
}

/// What a round trip must keep: names with kinds, and connections with
/// their ends' names and labels (as sorted multisets).
type Essence = (Vec<(String, ComponentKind)>, Vec<(String, String, String)>);

fn essence(d: &Diagram) -> Essence {
    let mut components: Vec<(String, ComponentKind)> = d
        .components
        .iter()
        .map(|c| (c.name.clone(), c.kind))
        .collect();
    components.sort();
    let name = |id: Id| d.component(id).unwrap().name.clone();
    let mut connections: Vec<(String, String, String)> = d
        .connections
        .iter()
        .map(|c| (name(c.from), name(c.to), c.label.clone()))
        .collect();
    connections.sort();
    (components, connections)
}

/// Solid, dashed or dotted: what the text formats can carry of a kind.
fn line_styles(d: &Diagram) -> BTreeMap<(String, String, String), Vec<&'static str>> {
    let mut out: BTreeMap<_, Vec<&'static str>> = BTreeMap::new();
    let name = |id: Id| d.component(id).unwrap().name.clone();
    for c in &d.connections {
        let style = match c.kind {
            ConnectionKind::Replication => "dotted",
            k if k.is_synchronous() => "solid",
            _ => "dashed",
        };
        out.entry((name(c.from), name(c.to), c.label.clone()))
            .or_default()
            .push(style);
    }
    for styles in out.values_mut() {
        styles.sort_unstable();
    }
    out
}

#[test]
fn mermaid_export_then_import_keeps_every_template() {
    for t in archboard::templates::all() {
        let d = t.diagram().unwrap();
        let text = export::mermaid(&d);
        let back =
            export::import_mermaid(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", t.name));
        assert_eq!(essence(&back), essence(&d), "{}", t.name);
        assert_eq!(line_styles(&back), line_styles(&d), "{}", t.name);
        assert_eq!(back.title, d.title);
        assert_eq!(back.groups.len(), d.groups.len(), "{}", t.name);
        let mut labels: Vec<(String, GroupKind)> = back
            .groups
            .iter()
            .map(|g| (g.label.clone(), g.kind))
            .collect();
        let mut expected: Vec<(String, GroupKind)> =
            d.groups.iter().map(|g| (g.label.clone(), g.kind)).collect();
        labels.sort();
        expected.sort();
        assert_eq!(labels, expected, "{}", t.name);
        back.check_integrity().unwrap();
        let ron = archboard::io::to_ron_string(&back).unwrap();
        assert_eq!(archboard::io::from_ron_str(&ron).unwrap(), back);
    }
}

#[test]
fn the_pdf_has_one_page_per_step() {
    let d = small_design();
    let pdf = export::pdf(&d, &SvgOptions::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_count(&pdf), d.steps.len());
    let mut no_steps = d.clone();
    no_steps.steps.clear();
    assert_eq!(
        page_count(&export::pdf(&no_steps, &SvgOptions::default()).unwrap()),
        1
    );
    let template = archboard::templates::find("order-processing-reference").unwrap();
    let t = template.diagram().unwrap();
    assert_eq!(
        page_count(&export::pdf(&t, &SvgOptions::default()).unwrap()),
        1
    );
}

/// Counts page objects (`/Type /Page`, not `/Pages`) in an uncompressed
/// object table.
fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut count = 0;
    for marker in ["/Type /Page", "/Type/Page"] {
        for (i, _) in text.match_indices(marker) {
            let after = text[i + marker.len()..].chars().next();
            if after != Some('s') {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn a_step_svg_shows_only_what_is_revealed_so_far() {
    let d = small_design();
    let first = export::svg(
        &d,
        &SvgOptions {
            scope: Scope::Step(0),
            ..SvgOptions::default()
        },
    );
    assert!(first.contains(">Orders API<") && !first.contains(">Emailer<"));
    assert!(!first.contains("class=\"group\""));
    let second = export::svg(
        &d,
        &SvgOptions {
            scope: Scope::Step(1),
            ..SvgOptions::default()
        },
    );
    assert!(second.contains(">Orders API<") && second.contains(">Emailer<"));
}

const HOSTILE: &str = "<script>alert(\"x\")</script> 'q' & ]]> --> a\nb";

/// The small design with every user string replaced by something hostile.
fn hostile_design() -> Diagram {
    let mut d = small_design();
    d.title = HOSTILE.to_owned();
    for (i, c) in d.components.iter_mut().enumerate() {
        c.name = format!("{HOSTILE} {i}");
    }
    for c in &mut d.connections {
        c.label = format!("{HOSTILE} {}", c.id.0);
    }
    d.groups[0].label = HOSTILE.to_owned();
    d.notes[0].text = HOSTILE.to_owned();
    d
}

/// Undoes the backslash escapes of a D2 or DOT double-quoted string.
fn unquote(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(c) => out.push(c),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_names_round_trip_safely_through_every_format() {
    let d = hostile_design();
    for theme in [Theme::Light, Theme::Dark] {
        let svg = export::svg(
            &d,
            &SvgOptions {
                theme,
                findings: true,
                embed_font: true,
                ..SvgOptions::default()
            },
        );
        assert!(!svg.contains("<script") && !svg.contains("]]>") && !svg.contains("-->"));
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &apos;q&apos; &amp; ]]&gt; --&gt; a b"));
        // Well-formed: our own renderer reads it back.
        let png = export::png_from_svg(&svg, 1.0).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
    let pdf = export::pdf(&d, &SvgOptions::default()).unwrap();
    assert_eq!(page_count(&pdf), 2);

    // Mermaid keeps every name and label exactly, line break included.
    let text = export::mermaid(&d);
    assert!(!text.contains("<script") && !text.contains("-->|\"<"));
    let back = export::import_mermaid(&text).unwrap();
    assert_eq!(essence(&back), essence(&d));
    assert_eq!(back.groups[0].label, d.groups[0].label);
    let arch = export::mermaid_architecture(&d);
    let back = export::import_mermaid(&arch).unwrap();
    assert_eq!(back.components.len(), d.components.len());
    assert_eq!(back.connections.len(), d.connections.len());

    // D2 and DOT: each string stays one quoted literal that reads back as the name.
    for (format, text) in [("d2", export::d2(&d)), ("dot", export::dot(&d))] {
        for c in &d.components {
            let expected = if format == "dot" {
                format!("{}\n{}", c.name, c.kind.name())
            } else {
                c.name.clone()
            };
            let found = quoted_literals(&text)
                .into_iter()
                .any(|literal| unquote(&literal) == expected);
            assert!(
                found,
                "{format}: {:?} is not there as one literal\n{text}",
                c.name
            );
        }
        // A line break in a name never breaks a line of the file.
        assert_eq!(
            text.lines().count(),
            export_line_count(format, &d),
            "{format}\n{text}"
        );
    }

    // The design file itself.
    let ron = archboard::io::to_ron_string(&d).unwrap();
    assert_eq!(archboard::io::from_ron_str(&ron).unwrap(), d);
}

/// The lines the D2 or DOT export of the small design's shape has
/// (independent of names).
fn export_line_count(format: &str, d: &Diagram) -> usize {
    let plain = small_design();
    let text = if format == "d2" {
        export::d2(&plain)
    } else {
        export::dot(&plain)
    };
    assert_eq!(plain.components.len(), d.components.len());
    text.lines().count()
}

/// Every `"..."` literal (with backslash escapes) in `text`.
fn quoted_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    literal.push('\\');
                    if let Some(n) = chars.next() {
                        literal.push(n);
                    }
                }
                '"' => break,
                c => literal.push(c),
            }
        }
        out.push(literal);
    }
    out
}

#[test]
fn malformed_mermaid_gives_line_and_column() {
    let err =
        export::import_mermaid("flowchart LR\n  a --> b\n  c[\"never closed --> d\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 5), "{err}");
    assert!(err.to_string().starts_with("3:5: "), "{err}");
}

#[test]
fn png_at_2x_is_twice_the_size_of_1x() {
    let d = small_design();
    let one = export::png(&d, &SvgOptions::default(), 1.0).unwrap();
    let two = export::png(&d, &SvgOptions::default(), 2.0).unwrap();
    let size = |png: &[u8]| {
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        (w, h)
    };
    let (w1, h1) = size(&one);
    let (w2, h2) = size(&two);
    assert!(w2.abs_diff(2 * w1) <= 1 && h2.abs_diff(2 * h1) <= 1);
    // Identical every time: fonts come only from the bundled files.
    assert_eq!(export::png(&d, &SvgOptions::default(), 1.0).unwrap(), one);
}

/// Control characters, escape sequences and bidirectional overrides: a
/// name may hold them (the design file keeps them), and every export stays
/// well formed and shows them harmlessly.
const CONTROLS: &str =
    "Pay\u{1b}[31mred\u{7} \u{202e}lanif\u{202c} tab\there\r\nnul\u{0}x \u{85}\u{2028}end";

#[test]
fn control_characters_in_names_keep_every_export_well_formed() {
    let mut d = small_design();
    d.title = CONTROLS.to_owned();
    for (i, c) in d.components.iter_mut().enumerate() {
        c.name = format!("{CONTROLS} {i}");
    }
    for c in &mut d.connections {
        c.label = format!("{CONTROLS} {}", c.id.0);
    }
    d.groups[0].label = CONTROLS.to_owned();
    d.notes[0].text = CONTROLS.to_owned();
    let svg = export::svg(
        &d,
        &SvgOptions {
            embed_font: true,
            ..SvgOptions::default()
        },
    );
    // XML 1.0 allows no C0 control but tab, line feed and carriage return,
    // even escaped.
    let bad: Vec<char> = svg
        .chars()
        .filter(|&c| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{202e}' || c == '\u{1b}'
        })
        .collect();
    assert!(bad.is_empty(), "the SVG holds {bad:?}");
    assert!(!svg.contains("&#x1b;") && !svg.contains("&#27;") && !svg.contains("&#0;"));
    let png = export::png_from_svg(&svg, 1.0).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let pdf = export::pdf(&d, &SvgOptions::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    for (format, text) in [
        ("mermaid", export::mermaid(&d)),
        ("architecture", export::mermaid_architecture(&d)),
        ("d2", export::d2(&d)),
        ("dot", export::dot(&d)),
    ] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{0}') && !text.contains('\u{202e}'),
            "{format} passes a raw control character on:\n{text:?}"
        );
        if format == "d2" || format == "dot" {
            assert_eq!(
                text.lines().count(),
                export_line_count(format, &d),
                "{format}: a name breaks a line\n{text}"
            );
        }
    }
    // Mermaid export → import keeps every component and connection.
    let back = export::import_mermaid(&export::mermaid(&d)).unwrap();
    assert_eq!(back.components.len(), d.components.len());
    assert_eq!(back.connections.len(), d.connections.len());
}
