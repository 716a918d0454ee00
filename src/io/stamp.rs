//! What a design file looked like when Archboard last read or wrote it, so
//! a change made by another program (a `git pull`, another editor) is
//! noticed before a save overwrites it.
//!
//! A [`FileStamp`] holds the file's modification time, size and a hash of
//! its bytes (XXH3, 128 bits: a checksum for noticing changes, not a
//! defence against someone forging a collision). [`check_unchanged`]
//! compares a file on disk with a stamp: a different size means changed
//! without reading; the same size means the bytes are read and hashed, so a
//! file that was rewritten with the same content (a checkout that changed
//! nothing, a `touch`) counts as unchanged, and a change within the file
//! system's time resolution is still seen.

use std::path::Path;
use std::time::SystemTime;

use super::{MAX_FILE_BYTES, read_regular};

/// A design file as Archboard last read or wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    /// The modification time, where the file system keeps one.
    pub modified: Option<SystemTime>,
    /// The size in bytes.
    pub len_bytes: u64,
    /// XXH3-128 of the bytes.
    pub hash: u128,
}

impl FileStamp {
    /// The stamp of `bytes` as read from (or written to) a file whose
    /// metadata is `metadata`.
    pub(crate) fn new(bytes: &[u8], modified: Option<SystemTime>) -> Self {
        Self {
            modified,
            len_bytes: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        }
    }
}

/// What happened to a file since its stamp was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Same bytes as when stamped.
    Unchanged,
    /// Different bytes, or a file that can no longer be read (so it cannot
    /// be shown to be the same).
    Changed,
    /// No file at the path any more.
    Deleted,
}

/// Compares the file at `path` with `stamp`. Reads the file only when its
/// size still matches.
pub fn check_unchanged(path: &Path, stamp: &FileStamp) -> FileChange {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return FileChange::Deleted,
        Err(_) => return FileChange::Changed,
    };
    if !metadata.is_file() || metadata.len() != stamp.len_bytes || metadata.len() > MAX_FILE_BYTES {
        return FileChange::Changed;
    }
    match read_regular(path) {
        Ok((bytes, _)) if xxhash_rust::xxh3::xxh3_128(&bytes) == stamp.hash => {
            FileChange::Unchanged
        }
        _ => FileChange::Changed,
    }
}
