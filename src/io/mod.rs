//! Reading and writing design files (RON). See `docs/file-format.md`.
//!
//! Loading is careful because files come from anywhere: only a regular file
//! is opened (`read_regular`, so a FIFO cannot hang a load), its size is
//! checked before it is read ([`MAX_FILE_BYTES`]), a byte-order mark is
//! skipped, bracket nesting is bounded ([`MAX_NESTING`]), the version is
//! checked before anything else is trusted (and read on its own when the
//! full parse fails, so a file from a newer Archboard is refused with a
//! clear message even when it has fields this build does not know), older
//! versions go through [`migrate`], the result must pass
//! [`Diagram::check_integrity`], and its compact encoding must fit in
//! [`MAX_DESIGN_BYTES`] so it can be saved again. Every failure is a
//! [`LoadError`]; nothing panics on any input (the loader is fuzzed, see
//! `fuzz/`).
//!
//! Saving is atomic ([`write_atomically`], the one routine for designs,
//! recovery files and reports) and never writes what could not be loaded
//! ([`encode_for_file`]). [`load_stamped`], [`save_stamped`] and
//! [`check_unchanged`] notice a file changed by another program in between.
//!
//! [`recovery`] keeps one recovery file per open document in the app's data
//! folder; [`safe_file_stem`] turns a title into a file name to suggest.
//!
//! This module knows nothing about egui: the CLI and tests use it headless.

mod error;
pub mod migrate;
mod names;
mod nesting;
pub mod recovery;
pub mod sessions;
mod stamp;
mod write;

use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub(crate) use error::thousands;
pub use error::{LoadError, LoadErrorKind, SaveError, SaveStep};
pub(crate) use names::is_bidi_control;
pub use names::safe_file_stem;
pub use stamp::{FileChange, FileStamp, check_unchanged};
pub use write::write_atomically;

use crate::model::{Diagram, FORMAT_VERSION, PropKey};

/// The largest file Archboard reads, design or recovery file: 16 MiB. A
/// design with 5,000 components and 10,000 connections is about 6 MiB
/// pretty-printed, so this leaves room while refusing a huge or hostile
/// file before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Room kept below [`MAX_FILE_BYTES`] for what the recovery file wraps
/// around a design (time, source path, title).
pub const RECOVERY_HEADROOM_BYTES: u64 = 64 * 1024;

/// The largest design Archboard holds: its compact encoding must fit in
/// this many bytes (16 MiB less [`RECOVERY_HEADROOM_BYTES`]). Loading
/// refuses a design over it and saving never writes one, so whatever
/// loads can be saved and written to the recovery file, and whatever is
/// saved loads again. See `docs/file-format.md`, "Size limit".
pub const MAX_DESIGN_BYTES: u64 = MAX_FILE_BYTES - RECOVERY_HEADROOM_BYTES;

/// The deepest nesting of brackets (`(`, `[`, `{`) a file may have, the
/// outermost `(` included. A real design nests about five levels deep; the
/// limit keeps a hostile file from exhausting the stack.
pub const MAX_NESTING: usize = 64;

/// The parser's own recursion limit, a backstop behind the bracket count
/// of [`nesting`]: it counts up to two levels per bracket, so it is set to
/// let every file within [`MAX_NESTING`] through.
const PARSER_RECURSION_LIMIT: usize = 2 * MAX_NESTING + 16;

/// Parser options shared by every read and write.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(PARSER_RECURSION_LIMIT)
}

/// Loads a design file: checks its size, reads it, parses, migrates and
/// checks it. The error names the path last.
pub fn load(path: &Path) -> Result<Diagram, LoadError> {
    load_stamped(path).map(|(diagram, _)| diagram)
}

/// [`load`], and the stamp of the bytes it read, to compare with the file
/// later ([`check_unchanged`], [`save_stamped`]).
pub fn load_stamped(path: &Path) -> Result<(Diagram, FileStamp), LoadError> {
    let (text, stamp) = read_text(path).map_err(|err| err.with_path(path))?;
    let diagram = from_ron_str(&text).map_err(|err| err.with_path(path))?;
    Ok((diagram, stamp))
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]: its bytes and
/// modification time. Anything else (a folder, a FIFO, a device, a socket)
/// is refused before it is opened, so reading never blocks on a pipe; the
/// open itself does not block either, and the opened file is checked again.
pub(crate) fn read_regular(path: &Path) -> Result<(Vec<u8>, Option<SystemTime>), LoadError> {
    let before = std::fs::metadata(path).map_err(LoadErrorKind::Read)?;
    if !before.is_file() {
        return Err(LoadErrorKind::NotAFile.into());
    }
    if before.len() > MAX_FILE_BYTES {
        return Err(too_large(before.len()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should the path turn into a FIFO between the check and the open, the
    // open returns at once instead of waiting for a writer.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file: File = options.open(path).map_err(LoadErrorKind::Read)?;
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
    Ok((bytes, metadata.modified().ok()))
}

/// Reads a file as UTF-8 text (see [`read_regular`]), with the stamp of its
/// bytes. A UTF-8 byte-order mark is dropped.
pub(crate) fn read_text(path: &Path) -> Result<(String, FileStamp), LoadError> {
    let (bytes, modified) = read_regular(path)?;
    let stamp = FileStamp::new(&bytes, modified);
    let mut text = String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let (line, column) = line_column(err.as_bytes(), valid);
        LoadError::from(LoadErrorKind::NotText { line, column })
    })?;
    if text.starts_with(BOM) {
        text.drain(..BOM.len_utf8());
    }
    Ok((text, stamp))
}

/// The UTF-8 byte-order mark some Windows editors put first.
const BOM: char = '\u{feff}';

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
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadErrorKind::Empty.into());
    }
    check_nesting(text)?;
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

/// Refuses text nested deeper than [`MAX_NESTING`] brackets, with the
/// position of the first bracket too many.
pub(crate) fn check_nesting(text: &str) -> Result<(), LoadError> {
    match nesting::too_deep(text, MAX_NESTING) {
        None => Ok(()),
        Some(offset) => {
            let (line, column) = line_column(text.as_bytes(), offset);
            Err(LoadErrorKind::Syntax {
                line,
                column,
                message: nesting_message(),
            }
            .into())
        }
    }
}

fn nesting_message() -> String {
    format!("the file is nested more than {MAX_NESTING} levels deep")
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
    // Symmetric size limit: a design that could not be saved again is
    // refused now, not when the user tries to save their work.
    match compact_len(&diagram, MAX_DESIGN_BYTES) {
        Ok(len) if len <= MAX_DESIGN_BYTES => Ok(diagram),
        Ok(len) => Err(LoadErrorKind::TooLargeToSave {
            at_least_bytes: len,
            limit_bytes: MAX_DESIGN_BYTES,
        }
        .into()),
        Err(err) => Err(LoadErrorKind::Invalid(err.to_string()).into()),
    }
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
        ron::Error::ExceededRecursionLimit => nesting_message(),
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
    encode(diagram, Layout::Pretty)
}

/// Encodes a design as compact RON: the same data with no white space.
/// [`encode_for_file`] uses it for designs too large to pretty-print.
pub fn to_ron_compact(diagram: &Diagram) -> Result<String, SaveError> {
    encode(diagram, Layout::Compact)
}

/// How the RON text is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Four-space indents, one field per line: readable and diffable.
    Pretty,
    /// No white space at all.
    Compact,
}

/// Encodes any value (a design, the recovery wrapper) in `layout`, with a
/// final newline when pretty.
pub(crate) fn encode_value<T: Serialize>(value: &T, layout: Layout) -> Result<String, SaveError> {
    let encoded = match layout {
        Layout::Pretty => {
            let config = ron::ser::PrettyConfig::new().indentor("    ".to_owned());
            ron_options()
                .to_string_pretty(value, config)
                .map(|mut text| {
                    text.push('\n');
                    text
                })
        }
        Layout::Compact => ron_options().to_string(value),
    };
    encoded.map_err(|err| SaveError::Encode {
        message: err.to_string(),
    })
}

fn encode(diagram: &Diagram, layout: Layout) -> Result<String, SaveError> {
    if is_sorted(diagram) {
        encode_value(diagram, layout)
    } else {
        let mut sorted = diagram.clone();
        sorted.sort_items();
        encode_value(&sorted, layout)
    }
}

/// The text Archboard writes for a design: pretty-printed when that fits in
/// [`MAX_DESIGN_BYTES`], compact otherwise, and refused when even the
/// compact text does not fit (it could not be opened again).
pub fn encode_for_file(diagram: &Diagram) -> Result<String, SaveError> {
    let pretty = to_ron_string(diagram)?;
    if pretty.len() as u64 <= MAX_DESIGN_BYTES {
        return Ok(pretty);
    }
    drop(pretty);
    let compact = to_ron_compact(diagram)?;
    if compact.len() as u64 <= MAX_DESIGN_BYTES {
        Ok(compact)
    } else {
        Err(SaveError::TooLarge {
            size_bytes: compact.len() as u64,
            limit_bytes: MAX_DESIGN_BYTES,
            path: None,
        })
    }
}

/// The length of the compact encoding of `diagram`, counted without
/// building the text; counting stops a little past `stop_after` bytes, so
/// the answer is exact up to it and a lower bound above it.
pub(crate) fn compact_len(diagram: &Diagram, stop_after: u64) -> Result<u64, SaveError> {
    struct Counter {
        len: u64,
        stop_after: u64,
    }
    impl std::fmt::Write for Counter {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.len += s.len() as u64;
            if self.len > self.stop_after {
                Err(std::fmt::Error)
            } else {
                Ok(())
            }
        }
    }
    let mut counter = Counter { len: 0, stop_after };
    match ron_options().to_writer(&mut counter, diagram) {
        Ok(()) => Ok(counter.len),
        Err(_) if counter.len > stop_after => Ok(counter.len),
        Err(err) => Err(SaveError::Encode {
            message: err.to_string(),
        }),
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

/// Saves a design atomically ([`write_atomically`]): on success the file
/// holds the new design, on failure it holds exactly what it held before
/// (or still does not exist). The text is [`encode_for_file`]'s.
pub fn save(path: &Path, diagram: &Diagram) -> Result<(), SaveError> {
    let text = encode_for_file(diagram).map_err(|err| err.with_path(path))?;
    write_atomically(path, text.as_bytes())
}

/// Saves like [`save`], but first checks that the file on disk is still
/// the one `expected` describes (taken by [`load_stamped`] or an earlier
/// `save_stamped`); returns the stamp of what it wrote.
///
/// `expected: None` saves without looking (a new file, Save as, or the
/// user chose to overwrite). A file that changed or disappeared since is
/// left alone and reported as [`SaveError::ChangedOnDisk`]; the caller asks
/// whether to overwrite (call again with `None`), save as, or reload.
/// The check and the write are two steps, so a change in the instant
/// between them is not seen.
pub fn save_stamped(
    path: &Path,
    diagram: &Diagram,
    expected: Option<&FileStamp>,
) -> Result<FileStamp, SaveError> {
    if let Some(stamp) = expected {
        let change = check_unchanged(path, stamp);
        if change != FileChange::Unchanged {
            return Err(SaveError::ChangedOnDisk {
                deleted: change == FileChange::Deleted,
                path: path.to_path_buf(),
            });
        }
    }
    let text = encode_for_file(diagram).map_err(|err| err.with_path(path))?;
    write_atomically(path, text.as_bytes())?;
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok(FileStamp::new(text.as_bytes(), modified))
}

/// Writes any text file (a report, an export) the same safe way designs are
/// saved ([`write_atomically`]).
pub fn write_text_atomically(path: &Path, text: &str) -> Result<(), SaveError> {
    write_atomically(path, text.as_bytes())
}

#[cfg(test)]
mod tests;
