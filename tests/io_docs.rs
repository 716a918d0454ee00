//! The example in `docs/file-format.md` stays true.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use archboard::io;
use archboard::model::Retry;

fn first_ron_block(markdown: &str) -> &str {
    let start = markdown.find("```ron\n").unwrap() + "```ron\n".len();
    let end = start + markdown[start..].find("```").unwrap();
    &markdown[start..end]
}

#[test]
fn the_annotated_example_loads() {
    let doc = include_str!("../docs/file-format.md");
    let diagram = io::from_ron_str(first_ron_block(doc)).unwrap();
    assert_eq!(diagram.title, "Cache in front of a store");
    assert_eq!(diagram.components.len(), 2);
    assert_eq!(diagram.connections[0].policy.timeout_ms, Some(50));
    assert_eq!(diagram.components[0].properties.instances, Some(2));
}

#[test]
fn a_variant_named_none_reads_with_or_without_the_raw_prefix() {
    for retry in ["r#None", "None"] {
        let text = format!(
            "(format_version: 1, title: \"x\", components: [(id: 1, kind: Service, name: \"a\", position: (x: 0.0, y: 0.0)), \
             (id: 3, kind: Service, name: \"b\", position: (x: 300.0, y: 0.0))], \
             connections: [(id: 2, from: 1, to: 3, kind: Request, policy: (retry: {retry}))], next_id: 4)"
        );
        let diagram = io::from_ron_str(&text).unwrap();
        assert_eq!(diagram.connections[0].policy.retry, Retry::None);
    }
}
