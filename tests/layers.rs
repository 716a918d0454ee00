//! The layers hold by construction: each layer of `src/` names only the
//! layers below it (ARCHITECTURE.md), only the UI (and the binary) touches
//! egui, and the UI changes the design only through commands.
//!
//! The checks read the source as text: `crate::layer` paths (also inside
//! `use crate::{…}` groups) are what count as using a layer.

use std::path::{Path, PathBuf};

/// Lowest first. A layer may use the layers before it in this list.
const LAYERS: &[&str] = &[
    "model",
    "catalog",
    "rules",
    "io",
    "templates",
    "interview",
    "layout",
    "export",
    "sim",
    "app",
    "live",
    "ui",
    "cli",
];

/// Layers that must not know about the UI toolkit.
const UI_FREE: &[&str] = &[
    "model",
    "catalog",
    "rules",
    "io",
    "templates",
    "interview",
    "layout",
    "export",
    "sim",
    "app",
    "live",
    "cli",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file of a layer (a folder or a single file).
fn files_of(layer: &str) -> Vec<PathBuf> {
    let dir = src().join(layer);
    let single = src().join(format!("{layer}.rs"));
    let mut out = Vec::new();
    if single.is_file() {
        out.push(single);
    }
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The layers a source text names through `crate::` (comments aside).
fn used_layers(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut used = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::X, b};`: every path that starts the group's items.
            let end = group.find('}').unwrap_or(group.len());
            let mut depth = 0;
            let mut item_start = true;
            let mut word = String::new();
            for c in group[..end].chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_alphanumeric() || c == '_' => {
                        if item_start {
                            word.push(c);
                        }
                    }
                    _ => {
                        if !word.is_empty() {
                            used.push(std::mem::take(&mut word));
                        }
                        if c != ' ' && c != '\n' {
                            item_start = false;
                        }
                    }
                }
            }
            if !word.is_empty() {
                used.push(word);
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            used.push(word);
        }
    }
    used
}

fn relative(path: &Path) -> String {
    path.strip_prefix(src())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let mut problems = Vec::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        for file in files_of(layer) {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for used in used_layers(&text) {
                match LAYERS.iter().position(|l| *l == used) {
                    Some(other) if other > rank => problems.push(format!(
                        "{} uses crate::{used}, a layer above {layer}",
                        relative(&file)
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_layer_list_knows_every_module() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap_or_default();
    for line in lib.lines() {
        if let Some(name) = line.trim().strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(
                LAYERS.contains(&name),
                "src/lib.rs declares `{name}`, which this test does not place in a layer"
            );
        }
    }
}

#[test]
fn only_the_ui_uses_egui() {
    let mut problems = Vec::new();
    for layer in UI_FREE {
        for file in files_of(layer) {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for needle in [
                "egui::",
                "eframe::",
                "egui_phosphor::",
                "use egui",
                "use eframe",
            ] {
                if text.contains(needle) {
                    problems.push(format!("{} mentions {needle}", relative(&file)));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_ui_builds_no_edits_and_drops_no_results() {
    let mut problems = Vec::new();
    for file in files_of("ui") {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if names_edit(code) {
                problems.push(format!("{}:{}: builds an Edit", relative(&file), n + 1));
            }
            if code.contains("let _ =") {
                problems.push(format!("{}:{}: drops a result", relative(&file), n + 1));
            }
        }
    }
    for file in files_of("app") {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.split("//").next().unwrap_or("").contains("let _ =") {
                problems.push(format!("{}:{}: drops a result", relative(&file), n + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether a line of code names the model's `Edit` type (not `TextEdit`).
fn names_edit(code: &str) -> bool {
    code.match_indices("Edit").any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + "Edit".len()..];
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && (after.starts_with("::") || after.starts_with(" {") || after.starts_with('('))
    }) || code.contains("edit::Edit")
}

#[test]
fn the_parser_finds_grouped_and_plain_paths() {
    assert!(names_edit("let e = Edit::Batch(v);"));
    assert!(names_edit("use crate::model::edit::Edit;"));
    assert!(!names_edit("egui::TextEdit::singleline(&mut s)"));
    let text = "use crate::{app::Session, model::{Id, Point}};\nlet x = crate::rules::check(&d); // crate::ui";
    assert_eq!(used_layers(text), vec!["app", "model", "rules"]);
}
