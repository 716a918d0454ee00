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
        "the file is too large to be a design ({} MiB; the limit is {} MiB)",
        mebibytes(*size_bytes),
        mebibytes(*limit_bytes)
    )]
    TooLarge { size_bytes: u64, limit_bytes: u64 },
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
    /// The file parses but breaks an invariant (duplicate or dangling ids).
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
            Self::CreateTemp => "could not create a temporary file in the folder",
            Self::Write => "could not write the design",
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
        "the design is too large to save ({} MiB; the limit is {} MiB) ({})",
        mebibytes(*size_bytes),
        mebibytes(*limit_bytes),
        path.display()
    )]
    TooLarge {
        size_bytes: u64,
        limit_bytes: u64,
        path: PathBuf,
    },
    /// A file system step failed.
    #[error("{step}: {source} ({})", path.display())]
    Io {
        step: SaveStep,
        #[source]
        source: std::io::Error,
        path: PathBuf,
    },
}

/// Bytes as MiB with one decimal, for messages.
fn mebibytes(bytes: u64) -> String {
    // Precision loss is fine for a message.
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / (1024.0 * 1024.0);
    format!("{mib:.1}")
}
