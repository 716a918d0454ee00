//! Reading and writing design files (RON). See `docs/file-format.md`.
//!
//! Loading is careful because files come from anywhere: the size is checked
//! before the file is read ([`MAX_FILE_BYTES`]), nesting depth is bounded
//! ([`MAX_NESTING`]), the version is checked before anything else is trusted
//! (and read on its own when the full parse fails, so a file from a newer
//! Archboard is refused with a clear message even when it has fields this
//! build does not know), older versions go through [`migrate`], and the
//! result must pass
//! [`Diagram::check_integrity`]. Every failure is a [`LoadError`]; nothing
//! panics on any input (the loader is fuzzed, see `fuzz/`).
//!
//! Saving is atomic: the text goes to a temporary file in the target's folder,
//! which is flushed, synced and then renamed over the target. A failed save
//! leaves the old file exactly as it was.
//!
//! [`recovery`] keeps the autosave file in the app's data folder.
//!
//! This module knows nothing about egui: the CLI and tests use it headless.

mod error;
pub mod migrate;
pub mod recovery;
pub mod sessions;

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use error::{LoadError, LoadErrorKind, SaveError, SaveStep};

use crate::model::{Diagram, FORMAT_VERSION, PropKey};

/// The largest design file Archboard reads: 16 MiB. A design with 5,000
/// components and 10,000 connections is about 6 MiB, so this leaves room
/// while refusing a huge or hostile file before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The deepest nesting of brackets the parser follows. A real design nests
/// about five levels deep; the limit keeps a hostile file from exhausting the
/// stack.
pub const MAX_NESTING: usize = 64;

/// Parser options shared by every read: the nesting limit.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(MAX_NESTING)
}

/// Loads a design file: checks its size, reads it, parses, migrates and
/// checks it. The error names the path last.
pub fn load(path: &Path) -> Result<Diagram, LoadError> {
    let text = read_text(path).map_err(|err| err.with_path(path))?;
    from_ron_str(&text).map_err(|err| err.with_path(path))
}

/// Reads a file as UTF-8 text, refusing folders, files over
/// [`MAX_FILE_BYTES`] and bytes that are not UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, LoadError> {
    let file = File::open(path).map_err(LoadErrorKind::Read)?;
    let metadata = file.metadata().map_err(LoadErrorKind::Read)?;
    if !metadata.is_file() {
        return Err(LoadErrorKind::NotAFile.into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()));
    }
    // The file may grow between the check and the read: read at most one
    // byte more than the limit and check again.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(LoadErrorKind::Read)?;
    let read_bytes = bytes.len() as u64;
    if read_bytes > MAX_FILE_BYTES {
        return Err(too_large(metadata.len().max(read_bytes)));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let (line, column) = line_column(err.as_bytes(), valid);
        LoadErrorKind::NotText { line, column }.into()
    })
}

fn too_large(size_bytes: u64) -> LoadError {
    LoadErrorKind::TooLarge {
        size_bytes,
        limit_bytes: MAX_FILE_BYTES,
    }
    .into()
}

/// Line and column (from 1, column counted in characters) of a byte offset.
/// `bytes[..offset]` must be valid UTF-8; anything else counts one per byte.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let last_line = before.get(line_start..).unwrap_or_default();
    let column = 1 + std::str::from_utf8(last_line).map_or(last_line.len(), |s| s.chars().count());
    (line, column)
}

/// Just enough of a design file to read its version, whatever else the file
/// holds: a newer file with fields this build does not know still parses
/// here, so it gets the "newer version" message rather than a syntax error.
#[derive(Deserialize)]
#[serde(rename = "Diagram")]
struct VersionPeek {
    #[serde(default, deserialize_with = "some_version")]
    format_version: Option<u32>,
}

/// Reads a plain `1` (not RON's `Some(1)`) into `Some`; a missing field
/// stays `None` through `#[serde(default)]`.
fn some_version<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<u32>, D::Error> {
    u32::deserialize(de).map(Some)
}

/// Parses a design from RON text, migrates it to the current version, fills
/// in defaults for properties added since it was written, and checks it.
pub fn from_ron_str(text: &str) -> Result<Diagram, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadErrorKind::Empty.into());
    }
    let options = ron_options();
    // One parse in the common case. The version is checked before anything
    // else is trusted; only when the full parse fails is the version peeked
    // on its own, so that a newer file with fields this build does not know
    // gets the "newer version" message rather than a syntax error.
    match options.from_str::<Diagram>(text) {
        Ok(diagram) => {
            let version = check_version(Some(diagram.format_version))?;
            finish_load(diagram, version)
        }
        Err(err) => {
            if let Ok(peek) = options.from_str::<VersionPeek>(text) {
                check_version(peek.format_version)?;
            }
            Err(syntax_error(err))
        }
    }
}

/// Accepts a version this build can read (1 up to [`FORMAT_VERSION`]).
fn check_version(version: Option<u32>) -> Result<u32, LoadError> {
    match version {
        None => Err(LoadErrorKind::BadVersion(
            "the file has no format_version, so it is not an Archboard design".to_owned(),
        )
        .into()),
        Some(0) => Err(LoadErrorKind::BadVersion(
            "format_version 0 is not a version Archboard ever wrote".to_owned(),
        )
        .into()),
        Some(found) if found > FORMAT_VERSION => Err(LoadErrorKind::NewerVersion {
            found,
            supported: FORMAT_VERSION,
        }
        .into()),
        Some(version) => Ok(version),
    }
}

/// The steps after parsing, shared with [`recovery`]: migrate from
/// `version`, normalize, check integrity.
pub(crate) fn finish_load(mut diagram: Diagram, version: u32) -> Result<Diagram, LoadError> {
    migrate::upgrade(&mut diagram, version, migrate::MIGRATIONS);
    normalize(&mut diagram);
    diagram
        .check_integrity()
        .map_err(|message| LoadError::new(LoadErrorKind::Invalid(message)))?;
    Ok(diagram)
}

/// Puts a freshly parsed diagram in the shape the rest of the app expects:
/// items in id order, and every property that applies to a component's kind
/// present (older files gain properties added since, with the kind's
/// default; values already in the file are kept).
fn normalize(diagram: &mut Diagram) {
    diagram.sort_items();
    for component in &mut diagram.components {
        let defaults = component.kind.default_properties();
        for &key in PropKey::ALL {
            if component.properties.value(key).is_none()
                && let Some(value) = defaults.value(key)
            {
                component.properties.set(key, value);
            }
        }
    }
}

/// Turns a RON error into our message, with its position.
fn syntax_error(err: ron::error::SpannedError) -> LoadError {
    let message = match &err.code {
        ron::Error::NoSuchEnumVariant {
            found,
            outer: Some(outer),
            ..
        } if outer == "ComponentKind" => format!("unknown component kind `{found}`"),
        ron::Error::ExceededRecursionLimit => {
            format!("the file is nested more than {MAX_NESTING} levels deep")
        }
        ron::Error::Eof => "the file ends in the middle of the design".to_owned(),
        other => lowercase_first(&other.to_string()),
    };
    LoadErrorKind::Syntax {
        line: err.span.start.line,
        column: err.span.start.col,
        message,
    }
    .into()
}

/// RON's messages start with a capital; ours follow a position and a colon.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Encodes a design as pretty-printed RON with `format_version` first and
/// every collection in id order, so a small edit is a small diff.
pub fn to_ron_string(diagram: &Diagram) -> Result<String, SaveError> {
    let config = ron::ser::PrettyConfig::new().indentor("    ".to_owned());
    let encode = |d: &Diagram| {
        ron_options()
            .to_string_pretty(d, config.clone())
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|err| SaveError::Encode {
                message: err.to_string(),
            })
    };
    if is_sorted(diagram) {
        encode(diagram)
    } else {
        let mut sorted = diagram.clone();
        sorted.sort_items();
        encode(&sorted)
    }
}

fn is_sorted(diagram: &Diagram) -> bool {
    diagram.components.is_sorted_by_key(|c| c.id)
        && diagram.connections.is_sorted_by_key(|c| c.id)
        && diagram.groups.is_sorted_by_key(|g| g.id)
        && diagram.notes.is_sorted_by_key(|n| n.id)
        && diagram
            .decisions
            .is_sorted_by(|a, b| (&a.rule_id, a.subject) <= (&b.rule_id, b.subject))
}

/// Saves a design atomically: on success the file holds the new design, on
/// failure it holds exactly what it held before (or still does not exist).
/// A design whose text would exceed [`MAX_FILE_BYTES`] is refused, since it
/// could not be opened again.
pub fn save(path: &Path, diagram: &Diagram) -> Result<(), SaveError> {
    let text = to_ron_string(diagram)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(SaveError::TooLarge {
            size_bytes: text.len() as u64,
            limit_bytes: MAX_FILE_BYTES,
            path: path.to_path_buf(),
        });
    }
    write_atomically(path, text.as_bytes(), |file, bytes| file.write_all(bytes))
}

/// Writes `bytes` to a temporary file beside `path` (through `write`, which
/// tests replace to simulate a full disk), syncs it and renames it over
/// `path`. The temporary file is removed on every failure.
/// Writes any text file (a report, an export) the same safe way designs are
/// saved: a temporary file beside it, synced, then renamed over it.
pub fn write_text_atomically(path: &Path, text: &str) -> Result<(), SaveError> {
    write_atomically(path, text.as_bytes(), |file, bytes| {
        std::io::Write::write_all(file, bytes)
    })
}

pub(crate) fn write_atomically(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let io_error = |step| {
        move |source| SaveError::Io {
            step,
            source,
            path: path.to_path_buf(),
        }
    };
    // Write beside the real file when `path` is a symbolic link, so the
    // rename replaces the file and keeps the link.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map_or_else(|| "design".into(), |name| name.to_string_lossy());
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new design gets the permissions any new file would (0666 less the
    // umask), not the owner-only mode temporary files start with.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(&folder)
        .map_err(io_error(SaveStep::CreateTemp))?;
    // Keep the permissions of the file being replaced (the temporary file
    // starts private to its owner).
    if let Ok(metadata) = std::fs::metadata(&target) {
        temp.as_file()
            .set_permissions(metadata.permissions())
            .map_err(io_error(SaveStep::CreateTemp))?;
    }
    write(temp.as_file_mut(), bytes).map_err(io_error(SaveStep::Write))?;
    temp.as_file_mut()
        .flush()
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io_error(SaveStep::Sync))?;
    temp.persist(&target)
        .map_err(|err| io_error(SaveStep::Replace)(err.error))?;
    // Make the rename itself durable. Not every platform can open a folder
    // for syncing, and the data is already safe, so a failure here is ignored.
    if let Ok(dir) = File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests;
