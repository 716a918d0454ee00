//! Recovery files: the unsaved state of every open design, kept so a crash
//! loses nothing.
//!
//! A [`RecoveryStore`] is a folder (`recovery/` in the app's data folder)
//! holding one recovery file per open document. A process claims
//! ([`RecoveryStore::claim`]) a [`RecoverySlot`] for each document it opens,
//! keyed by the document's file ([`DocKey::for_file`]) or by a fresh id for
//! an untitled design ([`DocKey::untitled`]); the slot holds an exclusive
//! lock (`flock` on Unix, `LockFileEx` on Windows, through
//! [`std::fs::File::try_lock`]) on a lock file beside its recovery file for
//! as long as it lives, and writes and removes only its own file. The lock
//! is released when the slot is dropped or the process ends, however it
//! ends, so:
//!
//! - [`RecoveryStore::orphans`] lists only recovery files whose lock nobody
//!   holds, that is whose owner is no longer running, with the design's
//!   title and age. Two instances never list, adopt or remove each other's
//!   files, and if both crash, both files are offered.
//! - Saving or discarding in one window removes that window's file only.
//! - A recovery file that cannot be written or read is an error value
//!   ([`RecoveryError`], or an orphan whose `recovered` is `Err`), never
//!   skipped in silence.
//!
//! The file is a RON wrapper around a design (when it was written, the path
//! of the file the design belongs to, the design), written atomically like a
//! save and within the same size rule: pretty-printed when it fits, compact
//! otherwise, refused when the design is over [`MAX_DESIGN_BYTES`]. It is
//! read with the same limits and checks as a design file.
//!
//! The single `recovery.ron` of earlier builds is still listed by
//! [`RecoveryStore::orphans`] (it has no lock, so it is always offered), and
//! adopting it moves it into the store.
//!
//! Known limits: a file opened in two windows at once has one path key, so
//! the second window's claim fails with [`RecoveryError::InUse`] and it
//! should claim an untitled key instead; a source path that is not valid
//! UTF-8 is not remembered.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{
    Layout, LoadError, LoadErrorKind, MAX_DESIGN_BYTES, MAX_FILE_BYTES, SaveError, check_nesting,
    compact_len, encode_value, finish_load, read_text, ron_options, write_atomically,
};
use crate::model::{Diagram, FORMAT_VERSION};

/// The folder of recovery files inside the data folder.
pub const FOLDER_NAME: &str = "recovery";

/// The single recovery file of earlier builds, in the data folder itself.
pub const FILE_NAME: &str = "recovery.ron";

const RECOVERY_EXTENSION: &str = "ron";
const LOCK_EXTENSION: &str = "lock";

/// A design found in a recovery file.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    /// The design as it was at the last autosave.
    pub diagram: Diagram,
    /// When it was written.
    pub saved_at: SystemTime,
    /// The file the design was opened from or last saved to, if any.
    pub source_path: Option<PathBuf>,
}

/// Which document a recovery slot belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DocKey {
    /// A design that lives in this file (an absolute, canonical path when
    /// the file exists).
    File(PathBuf),
    /// A design that has no file yet; the id is unique to one document of
    /// one process.
    Untitled(String),
}

impl DocKey {
    /// The key of the design in `path`. Paths that name the same file (a
    /// relative path, a symbolic link) give the same key while the file
    /// exists.
    pub fn for_file(path: &Path) -> Self {
        let resolved = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf());
        Self::File(resolved)
    }

    /// A fresh key for an untitled design, unique across processes (it
    /// holds the process id, the time and a counter).
    pub fn untitled() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        Self::Untitled(format!("{}-{nanos}-{count}", std::process::id()))
    }

    /// The file name (without extension) of this key's recovery file.
    fn stem(&self) -> String {
        match self {
            Self::File(path) => format!(
                "file-{:032x}",
                xxhash_rust::xxh3::xxh3_128(path.as_os_str().as_encoded_bytes())
            ),
            Self::Untitled(id) => {
                let safe: String = id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(80)
                    .collect();
                format!("untitled-{safe}")
            }
        }
    }
}

/// Why a recovery file could not be claimed, written, read or removed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RecoveryError {
    /// The recovery folder could not be created or listed.
    #[error("could not use the recovery folder: {source} ({})", path.display())]
    Folder {
        #[source]
        source: std::io::Error,
        path: PathBuf,
    },
    /// Another running Archboard holds this recovery file.
    #[error("another Archboard window is keeping this design's recovery file ({})", path.display())]
    InUse { path: PathBuf },
    /// The lock file could not be opened or locked.
    #[error("could not lock the recovery file: {source} ({})", path.display())]
    Lock {
        #[source]
        source: std::io::Error,
        path: PathBuf,
    },
    /// Writing the recovery file failed; the previous one is intact.
    #[error("could not write the recovery file: {0}")]
    Write(#[source] SaveError),
    /// The recovery file exists but does not load.
    #[error("could not read the recovery file: {0}")]
    Read(#[source] LoadError),
    /// The recovery file could not be removed.
    #[error("could not remove the recovery file: {source} ({})", path.display())]
    Remove {
        #[source]
        source: std::io::Error,
        path: PathBuf,
    },
}

/// The recovery folder of one data folder.
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    data_dir: PathBuf,
    dir: PathBuf,
}

/// The right to one recovery file, held by one document of one process.
/// Dropping it releases the lock and leaves the file (so a crash, or an
/// exit without Save or Discard, leaves it to be offered next time); call
/// [`RecoverySlot::remove`] when the work is saved or discarded.
#[derive(Debug)]
pub struct RecoverySlot {
    file: PathBuf,
    lock_path: PathBuf,
    /// Held open, and so locked, for as long as the slot lives.
    _lock: File,
}

/// A recovery file whose owner is no longer running.
#[derive(Debug)]
pub struct RecoveryInfo {
    /// The recovery file.
    pub file: PathBuf,
    /// How long ago it was written (by the time inside it, or the file's
    /// modification time when it cannot be read).
    pub age: Duration,
    /// The design it holds, or why it cannot be read.
    pub recovered: Result<Recovery, LoadError>,
}

impl RecoveryInfo {
    /// The design's title, when the file can be read.
    pub fn title(&self) -> Option<&str> {
        self.recovered
            .as_ref()
            .ok()
            .map(|r| r.diagram.title.as_str())
    }
}

impl RecoveryStore {
    /// The store in `data_dir` (its `recovery/` folder, created if needed).
    pub fn open(data_dir: &Path) -> Result<Self, RecoveryError> {
        let dir = data_dir.join(FOLDER_NAME);
        std::fs::create_dir_all(&dir).map_err(|source| RecoveryError::Folder {
            source,
            path: dir.clone(),
        })?;
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            dir,
        })
    }

    /// The recovery folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Claims the recovery file of `key` for this process. Fails with
    /// [`RecoveryError::InUse`] while another slot (in this process or
    /// another) holds it. An old file left under the same key by a crashed
    /// run is kept until the new slot writes or removes it, so list
    /// [`orphans`](Self::orphans) before claiming.
    pub fn claim(&self, key: &DocKey) -> Result<RecoverySlot, RecoveryError> {
        self.lock_stem(&key.stem())
    }

    /// Takes over an orphan's file, to restore its design: the new slot
    /// writes and removes that file from now on. Fails with
    /// [`RecoveryError::InUse`] if another process took it first. The
    /// single file of earlier builds is moved into a fresh untitled slot.
    pub fn adopt(&self, orphan: &RecoveryInfo) -> Result<RecoverySlot, RecoveryError> {
        if orphan.file == self.data_dir.join(FILE_NAME) {
            let slot = self.claim(&DocKey::untitled())?;
            std::fs::rename(&orphan.file, &slot.file).map_err(|source| RecoveryError::Remove {
                source,
                path: orphan.file.clone(),
            })?;
            return Ok(slot);
        }
        let stem = orphan
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.lock_stem(&stem)
    }

    /// Removes an orphan's file (the user chose Discard), unless another
    /// process has adopted it meanwhile.
    pub fn discard(&self, orphan: &RecoveryInfo) -> Result<(), RecoveryError> {
        if orphan.file == self.data_dir.join(FILE_NAME) {
            return remove_if_present(&orphan.file);
        }
        self.adopt(orphan)?.remove()
    }

    /// The recovery files nobody holds, oldest first, each read in full (a
    /// file that does not load is listed with its error). Lock files left
    /// without a recovery file are tidied away.
    pub fn orphans(&self) -> Result<Vec<RecoveryInfo>, RecoveryError> {
        let folder_error = |source| RecoveryError::Folder {
            source,
            path: self.dir.clone(),
        };
        let mut stems: Vec<(String, bool)> = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(folder_error)? {
            let path = entry.map_err(folder_error)?.path();
            let (Some(stem), Some(ext)) = (path.file_stem(), path.extension()) else {
                continue;
            };
            let stem = stem.to_string_lossy().into_owned();
            if ext == RECOVERY_EXTENSION {
                stems.push((stem, true));
            } else if ext == LOCK_EXTENSION && !self.dir.join(format!("{stem}.ron")).exists() {
                stems.push((stem, false));
            }
        }
        stems.sort();
        let mut found = Vec::new();
        for (stem, has_file) in stems {
            // Locking succeeds only when no running process holds the slot.
            let slot = match self.lock_stem(&stem) {
                Ok(slot) => slot,
                Err(RecoveryError::InUse { .. }) => continue,
                Err(RecoveryError::Lock { source, path }) if has_file => {
                    // One broken lock file must not hide the other orphans:
                    // list this one with the reason it cannot be taken.
                    let file = self.dir.join(format!("{stem}.{RECOVERY_EXTENSION}"));
                    let error = LoadError::from(LoadErrorKind::Read(source)).with_path(&path);
                    found.push(RecoveryInfo {
                        file,
                        age: Duration::ZERO,
                        recovered: Err(error),
                    });
                    continue;
                }
                Err(err) => return Err(err),
            };
            if has_file {
                found.push(read_info(&slot.file));
                // Dropping the slot releases the lock and keeps the file.
            } else {
                // A lock file with no recovery file: nothing to offer.
                let _ = slot.remove();
            }
        }
        let legacy = self.data_dir.join(FILE_NAME);
        if legacy.exists() {
            found.push(read_info(&legacy));
        }
        found.sort_by_key(|info| std::cmp::Reverse(info.age));
        Ok(found)
    }

    fn lock_stem(&self, stem: &str) -> Result<RecoverySlot, RecoveryError> {
        let file = self.dir.join(format!("{stem}.{RECOVERY_EXTENSION}"));
        let lock_path = self.dir.join(format!("{stem}.{LOCK_EXTENSION}"));
        match lock(&lock_path) {
            Ok(Some(lock)) => Ok(RecoverySlot {
                file,
                lock_path,
                _lock: lock,
            }),
            Ok(None) => Err(RecoveryError::InUse { path: file }),
            Err(source) => Err(RecoveryError::Lock {
                source,
                path: lock_path,
            }),
        }
    }
}

/// Opens and locks `path` exclusively without waiting: `None` when someone
/// else holds it. A lock file removed or replaced by its owner between our
/// open and our lock is opened again, so two holders never think they own
/// the same path.
fn lock(path: &Path) -> std::io::Result<Option<File>> {
    for _ in 0..8 {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(err)) => return Err(err),
        }
        if is_same_file(&file, path) {
            return Ok(Some(file));
        }
    }
    Err(std::io::Error::other(
        "the lock file keeps being replaced by another process",
    ))
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_file: &File, path: &Path) -> bool {
    // Windows does not let a locked, open file be removed or replaced.
    path.exists()
}

impl RecoverySlot {
    /// This slot's recovery file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Writes `diagram` (which belongs to `source_path`, if it has a file)
    /// to this slot's recovery file, atomically.
    pub fn write(
        &self,
        diagram: &Diagram,
        source_path: Option<&Path>,
    ) -> Result<(), RecoveryError> {
        write_file(&self.file, diagram, source_path).map_err(RecoveryError::Write)
    }

    /// Reads back this slot's recovery file, if it has written one.
    pub fn read(&self) -> Result<Option<Recovery>, RecoveryError> {
        if !self.file.exists() {
            return Ok(None);
        }
        read_file(&self.file).map(Some).map_err(RecoveryError::Read)
    }

    /// Removes the recovery file but keeps the claim: the design was saved
    /// and stays open. Removing a file that is not there is not an error.
    pub fn clear(&self) -> Result<(), RecoveryError> {
        remove_if_present(&self.file)
    }

    /// Removes the recovery file and gives up the claim: the design was
    /// saved or discarded and is being closed.
    pub fn remove(self) -> Result<(), RecoveryError> {
        remove_if_present(&self.file)?;
        // Still holding the lock: whoever opened the old lock file meanwhile
        // sees it replaced and opens the new one (see `lock`).
        remove_if_present(&self.lock_path)
    }
}

fn remove_if_present(path: &Path) -> Result<(), RecoveryError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(RecoveryError::Remove {
            source,
            path: path.to_path_buf(),
        }),
    }
}

fn read_info(file: &Path) -> RecoveryInfo {
    let recovered = read_file(file);
    let saved_at = match &recovered {
        Ok(r) => Some(r.saved_at),
        Err(_) => std::fs::metadata(file).and_then(|m| m.modified()).ok(),
    };
    let age = saved_at
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .unwrap_or_default();
    RecoveryInfo {
        file: file.to_path_buf(),
        age,
        recovered,
    }
}

/// What is written: borrowed, so writing does not copy the design.
#[derive(Serialize)]
struct RecoveryOut<'a> {
    saved_at_unix_ms: u64,
    source_path: Option<&'a str>,
    diagram: &'a Diagram,
}

/// What is read back.
#[derive(Deserialize)]
struct RecoveryIn {
    saved_at_unix_ms: u64,
    source_path: Option<PathBuf>,
    diagram: Diagram,
}

/// Encodes and writes one recovery file, under the size rule of saves.
fn write_file(path: &Path, diagram: &Diagram, source_path: Option<&Path>) -> Result<(), SaveError> {
    let saved_at_unix_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        });
    let out = RecoveryOut {
        saved_at_unix_ms,
        source_path: source_path.and_then(Path::to_str),
        diagram,
    };
    let too_large = |size_bytes| SaveError::TooLarge {
        size_bytes,
        limit_bytes: MAX_DESIGN_BYTES,
        path: Some(path.to_path_buf()),
    };
    let mut text = encode_value(&out, Layout::Pretty)?;
    // Pretty text within the design limit holds a design within it too.
    if text.len() as u64 > MAX_DESIGN_BYTES {
        let design_len = compact_len(diagram, MAX_DESIGN_BYTES)?;
        if design_len > MAX_DESIGN_BYTES {
            return Err(too_large(design_len));
        }
        text = encode_value(&out, Layout::Compact)?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(text.len() as u64));
        }
    }
    write_atomically(path, text.as_bytes())
}

/// Reads one recovery file with the checks of a design file.
fn read_file(path: &Path) -> Result<Recovery, LoadError> {
    let parse = || -> Result<Recovery, LoadError> {
        let (text, _) = read_text(path)?;
        check_nesting(&text)?;
        let found: RecoveryIn = ron_options().from_str(&text).map_err(|err| {
            LoadError::from(LoadErrorKind::Syntax {
                line: err.span.start.line,
                column: err.span.start.col,
                message: err.code.to_string(),
            })
        })?;
        let version = found.diagram.format_version;
        if version == 0 || version > FORMAT_VERSION {
            return Err(LoadErrorKind::NewerVersion {
                found: version,
                supported: FORMAT_VERSION,
            }
            .into());
        }
        let diagram = finish_load(found.diagram, version)?;
        Ok(Recovery {
            diagram,
            saved_at: UNIX_EPOCH + Duration::from_millis(found.saved_at_unix_ms),
            source_path: found.source_path,
        })
    };
    parse().map_err(|err| err.with_path(path))
}
