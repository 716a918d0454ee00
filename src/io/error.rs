//! Why a design file could not be loaded or saved.
//!
//! Messages are written for the person using the app: what went wrong, where
//! in the file when the parser knows (`line 3, column 12`), and the file's path
//! last.

use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a design file could not be loaded. The caller's open diagram is never
/// touched: loading either returns a whole, checked diagram or this error.
#[derive(Debug)]
pub struct LoadError {
    kind: LoadErrorKind,
    path: Option<PathBuf>,
}

/// What exactly was wrong with the file.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The file could not be opened or read.
    #[error("could not read the file: {0}")]
    Read(#[source] std::io::Error),
    /// The path names a folder or a device, not a file.
    #[error("this is not a regular file")]
    NotAFile,
    /// The file is larger than [`super::MAX_FILE_BYTES`].
    #[error(
        "the file is too large to be a design ({})",
        size_and_limit(*size_bytes, *limit_bytes)
    )]
    TooLarge { size_bytes: u64, limit_bytes: u64 },
    /// The design loads, but its compact encoding is over
    /// [`super::MAX_DESIGN_BYTES`], so Archboard could not save it again.
    #[error(
        "the design is too large for Archboard to save again (at least {}; the limit is {})",
        size_text(*at_least_bytes, *limit_bytes),
        size_text(*limit_bytes, *at_least_bytes)
    )]
    TooLargeToSave {
        at_least_bytes: u64,
        limit_bytes: u64,
    },
    /// The file is empty or holds only white space.
    #[error("the file is empty")]
    Empty,
    /// The file is not UTF-8 text (a binary file, or text in another encoding).
    #[error("line {line}, column {column}: the file is not UTF-8 text")]
    NotText { line: usize, column: usize },
    /// The text is not a valid design: a syntax error, a wrong type, an
    /// unknown component kind, a missing field, nesting that is too deep.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The file has no `format_version`, or one that no release ever wrote.
    #[error("{0}")]
    BadVersion(String),
    /// The file was written by a newer Archboard.
    #[error(
        "the file uses format version {found}, but this Archboard reads versions up to {supported}; \
         open it with a newer Archboard"
    )]
    NewerVersion { found: u32, supported: u32 },
    /// The file parses but breaks an invariant of the model (see
    /// `model::validate`): duplicate or dangling ids, a self-connection, a
    /// position that is not a number, a duplicate decision…
    #[error("the design is inconsistent: {0}")]
    Invalid(String),
}

impl LoadError {
    pub(crate) fn new(kind: LoadErrorKind) -> Self {
        Self { kind, path: None }
    }

    pub(crate) fn with_path(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> &LoadErrorKind {
        &self.kind
    }

    /// The file that failed to load, when it came from a file.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Line and column (both from 1) of the problem, where the parser gave one.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self.kind {
            LoadErrorKind::Syntax { line, column, .. }
            | LoadErrorKind::NotText { line, column } => Some((line, column)),
            _ => None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{} ({})", self.kind, path.display()),
            None => write!(f, "{}", self.kind),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

impl From<LoadErrorKind> for LoadError {
    fn from(kind: LoadErrorKind) -> Self {
        Self::new(kind)
    }
}

/// The step of a save that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStep {
    /// Finding out what the target is: following its symbolic links, and
    /// refusing a folder, device or pipe.
    Target,
    /// Creating the temporary file beside the target.
    CreateTemp,
    /// Writing the bytes to the temporary file.
    Write,
    /// Flushing and syncing the temporary file to disk.
    Sync,
    /// Renaming the temporary file over the target.
    Replace,
}

impl fmt::Display for SaveStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Target => "could not write to this path",
            Self::CreateTemp => "could not create a temporary file in the folder",
            Self::Write => "could not write the file",
            Self::Sync => "could not flush the design to disk",
            Self::Replace => "could not replace the file",
        })
    }
}

/// Why a design could not be saved. The file on disk is left as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The design could not be turned into RON text.
    #[error("could not encode the design: {message}")]
    Encode { message: String },
    /// The encoded design is over the size limit, so it could not be opened
    /// again; nothing was written.
    #[error(
        "the design is too large to save ({}){}",
        size_and_limit(*size_bytes, *limit_bytes),
        path_suffix(path.as_deref())
    )]
    TooLarge {
        size_bytes: u64,
        limit_bytes: u64,
        path: Option<PathBuf>,
    },
    /// The file on disk is not the one that was loaded or last saved:
    /// another program changed or deleted it. Nothing was written.
    #[error(
        "{} since it was opened; nothing was written ({})",
        if *deleted { "the file was deleted" } else { "the file was changed by another program" },
        path.display()
    )]
    ChangedOnDisk { deleted: bool, path: PathBuf },
    /// A file system step failed.
    #[error("{step}: {source} ({})", path.display())]
    Io {
        step: SaveStep,
        #[source]
        source: std::io::Error,
        path: PathBuf,
    },
}

impl SaveError {
    /// Names the file in an error that arose before any file was involved.
    pub(crate) fn with_path(self, at: &Path) -> Self {
        match self {
            Self::TooLarge {
                size_bytes,
                limit_bytes,
                path: None,
            } => Self::TooLarge {
                size_bytes,
                limit_bytes,
                path: Some(at.to_path_buf()),
            },
            other => other,
        }
    }
}

fn path_suffix(path: Option<&Path>) -> String {
    path.map_or_else(String::new, |p| format!(" ({})", p.display()))
}

/// "17.2 MiB; the limit is 16.0 MiB", or exact bytes when one decimal of
/// MiB would show the two as equal.
fn size_and_limit(size_bytes: u64, limit_bytes: u64) -> String {
    format!(
        "{}; the limit is {}",
        size_text(size_bytes, limit_bytes),
        size_text(limit_bytes, size_bytes)
    )
}

/// `bytes` in MiB with one decimal, or as an exact byte count when that
/// would read the same as `other`.
fn size_text(bytes: u64, other: u64) -> String {
    let (a, b) = (mebibytes(bytes), mebibytes(other));
    if a == b && bytes != other {
        format!("{} bytes", thousands(bytes))
    } else {
        format!("{a} MiB")
    }
}

/// Bytes as MiB with one decimal, for messages.
fn mebibytes(bytes: u64) -> String {
    // Precision loss is fine for a message.
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / (1024.0 * 1024.0);
    format!("{mib:.1}")
}

/// An integer with comma thousands separators: 16,777,217.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_one_byte_apart_are_told_apart() {
        assert_eq!(
            size_and_limit(16 * 1024 * 1024 + 1, 16 * 1024 * 1024),
            "16,777,217 bytes; the limit is 16,777,216 bytes"
        );
        assert_eq!(
            size_and_limit(100 * 1024 * 1024, 16 * 1024 * 1024),
            "100.0 MiB; the limit is 16.0 MiB"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
    }
}
