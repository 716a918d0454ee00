//! Broken and hostile files: each gets its own clear message, with a
//! position where there is one, and nothing panics.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use archboard::io::{self, LoadErrorKind, MAX_FILE_BYTES};

const VALID: &str = r#"(
    format_version: 1,
    title: "Small",
    components: [
        (id: 1, kind: Service, name: "API", position: (x: 0.0, y: 0.0)),
        (id: 2, kind: Cache, name: "Redis", position: (x: 300.0, y: 0.0)),
    ],
    connections: [
        (id: 3, from: 1, to: 2, kind: Read),
    ],
    next_id: 4,
)
"#;

/// Writes `bytes` to a file in a fresh temporary folder.
fn file_with(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Loads from a file and returns the whole message, checking it ends with
/// the path.
fn load_message(path: &Path) -> String {
    let err = io::load(path).unwrap_err();
    let message = err.to_string();
    assert!(
        message.ends_with(&format!("({})", path.display())),
        "path last: {message}"
    );
    message
}

fn parse_message(text: &str) -> String {
    io::from_ron_str(text).unwrap_err().to_string()
}

#[test]
fn the_valid_base_loads() {
    let diagram = io::from_ron_str(VALID).unwrap();
    assert_eq!(diagram.components.len(), 2);
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let text = VALID.replace("name: \"Redis\",", "name: \"Redis\"");
    let err = io::from_ron_str(&text).unwrap_err();
    assert_eq!(err.position(), Some((6, 44)), "{err}");
    assert_eq!(err.to_string(), "line 6, column 44: expected comma");
}

#[test]
fn a_wrong_type_names_line_and_column() {
    let text = VALID.replace("title: \"Small\"", "title: 42");
    let message = parse_message(&text);
    assert!(message.starts_with("line 3, column 11: "), "{message}");
    assert!(message.contains("string"), "{message}");

    let text = VALID.replace("id: 3,", "id: \"three\",");
    let message = parse_message(&text);
    assert_eq!(message, "line 9, column 13: expected integer");
}

#[test]
fn an_unknown_component_kind_is_named() {
    let text = VALID.replace("kind: Cache", "kind: Spaceship");
    let err = io::from_ron_str(&text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 6, column 23: unknown component kind `Spaceship`"
    );
    assert!(matches!(err.kind(), LoadErrorKind::Syntax { .. }));
}

#[test]
fn an_unknown_property_is_named() {
    let text = VALID.replace(
        "position: (x: 0.0, y: 0.0))",
        "position: (x: 0.0, y: 0.0), properties: (warp_drive: Some(true)))",
    );
    let message = parse_message(&text);
    assert!(message.starts_with("line 5, column "), "{message}");
    assert!(message.contains("warp_drive"), "{message}");
}

#[test]
fn a_missing_field_is_named() {
    let text = VALID.replace("    next_id: 4,\n", "");
    let message = parse_message(&text);
    assert!(message.contains("next_id"), "{message}");
}

#[test]
fn a_connection_to_a_missing_component_is_refused() {
    let text = VALID.replace("to: 2,", "to: 9,");
    assert_eq!(
        parse_message(&text),
        "the design is inconsistent: connection 3 refers to component 9, which does not exist"
    );
}

#[test]
fn duplicate_ids_are_refused() {
    let text = VALID.replace("(id: 2, kind: Cache", "(id: 1, kind: Cache");
    let text = text.replace("to: 2,", "to: 1,");
    assert_eq!(
        parse_message(&text),
        "the design is inconsistent: the id 1 is used by more than one item"
    );
}

#[test]
fn an_id_at_or_above_next_id_is_refused() {
    let text = VALID.replace("next_id: 4", "next_id: 3");
    assert_eq!(
        parse_message(&text),
        "the design is inconsistent: next_id is 3 but the id 3 is already in use"
    );
}

#[test]
fn a_newer_version_is_refused_naming_both_versions_even_with_unknown_fields() {
    let text = r#"(
        format_version: 7,
        title: "From the future",
        hyperlanes: [(id: 1, warp: Fast)],
        components: [(id: 1, kind: Teleporter, colour: "red")],
        next_id: 2,
    )"#;
    let err = io::from_ron_str(text).unwrap_err();
    assert!(matches!(
        err.kind(),
        LoadErrorKind::NewerVersion {
            found: 7,
            supported: 1
        }
    ));
    assert_eq!(
        err.to_string(),
        "the file uses format version 7, but this Archboard reads versions up to 1; \
         open it with a newer Archboard"
    );
}

#[test]
fn a_newer_version_is_refused_even_when_it_parses_as_this_version() {
    let err = io::from_ron_str("(format_version: 2, title: \"x\", next_id: 1)").unwrap_err();
    assert!(matches!(
        err.kind(),
        LoadErrorKind::NewerVersion {
            found: 2,
            supported: 1
        }
    ));
}

#[test]
fn a_missing_or_zero_version_is_refused() {
    assert_eq!(
        parse_message("(title: \"x\", next_id: 1)"),
        "the file has no format_version, so it is not an Archboard design"
    );
    assert_eq!(
        parse_message("(format_version: 0, title: \"x\", next_id: 1)"),
        "format_version 0 is not a version Archboard ever wrote"
    );
}

#[test]
fn an_empty_file_is_refused() {
    for text in ["", "   \n\t\n"] {
        let (_dir, path) = file_with(text.as_bytes());
        let message = load_message(&path);
        assert!(message.starts_with("the file is empty ("), "{message}");
    }
}

#[test]
fn a_truncated_file_says_it_ends_early() {
    let text = &VALID[..VALID.find("connections").unwrap()];
    let message = parse_message(text);
    assert!(
        message.ends_with("the file ends in the middle of the design"),
        "{message}"
    );
    assert!(message.starts_with("line "), "{message}");
}

#[test]
fn binary_garbage_is_refused_with_the_position_of_the_first_bad_byte() {
    let mut bytes = b"(format_version: 1,\n  ti".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x00, 0x9c]);
    let (_dir, path) = file_with(&bytes);
    let message = load_message(&path);
    assert!(
        message.starts_with("line 2, column 5: the file is not UTF-8 text ("),
        "{message}"
    );

    // Pseudo-random bytes, deterministic.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let noise: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let (_dir, path) = file_with(&noise);
    assert!(io::load(&path).is_err());
}

#[test]
fn text_garbage_is_a_syntax_error() {
    for text in [
        "\u{0}\u{1}\u{2}PK",
        "{\"format_version\": 1}",
        "<html><body>not a design</body></html>",
        ")))",
        "(format_version: 1, title: \"unterminated",
        "(format_version: 1, title: r##\"raw\"#, next_id: 1)",
        "(format_version: 99999999999999999999)",
        "(format_version: -1)",
        "(format_version: 1, format_version: 1, title: \"x\", next_id: 1)",
        "(format_version: 1, title: \"x\", next_id: 1) trailing",
    ] {
        let err = io::from_ron_str(text).unwrap_err();
        assert!(err.position().is_some(), "{text:?} gave {err}");
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let nested = format!(
        "(format_version: 1, title: \"x\", extra: {}{}, next_id: 1)",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let message = parse_message(&nested);
    assert!(
        message.ends_with("the file is nested more than 64 levels deep"),
        "{message}"
    );
    assert!(message.starts_with("line 1, column "), "{message}");

    for text in [
        "(".repeat(depth),
        "[".repeat(depth),
        "Some(".repeat(depth),
        format!(
            "(format_version: 1, title: \"x\", next_id: 1, requirements: (functional: {}",
            "[".repeat(depth)
        ),
    ] {
        assert!(io::from_ron_str(&text).is_err());
    }
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: takes no disk space and no time.
    file.set_len(100 * 1024 * 1024).unwrap();
    drop(file);
    let err = io::load(&path).unwrap_err();
    assert!(matches!(
        err.kind(),
        LoadErrorKind::TooLarge {
            size_bytes: 104_857_600,
            limit_bytes: MAX_FILE_BYTES
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "the file is too large to be a design (100.0 MiB; the limit is 16.0 MiB) ({})",
            path.display()
        )
    );
}

#[test]
fn a_file_just_over_the_limit_is_refused_and_one_at_the_limit_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edge.ron");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(VALID.as_bytes()).unwrap();
    // Pad with spaces (valid RON white space) up to exactly the limit.
    let padding = MAX_FILE_BYTES as usize - VALID.len();
    file.write_all(&vec![b' '; padding]).unwrap();
    drop(file);
    assert!(io::load(&path).is_ok());
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b" ")
        .unwrap();
    assert!(matches!(
        io::load(&path).unwrap_err().kind(),
        LoadErrorKind::TooLarge { .. }
    ));
}

#[test]
fn a_missing_file_a_folder_and_a_device_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.ron");
    let message = load_message(&missing);
    assert!(
        message.starts_with("could not read the file: "),
        "{message}"
    );

    let message = load_message(dir.path());
    assert!(
        message.starts_with("this is not a regular file ("),
        "{message}"
    );

    let message = load_message(Path::new("/dev/zero"));
    assert!(
        message.starts_with("this is not a regular file ("),
        "{message}"
    );
}
