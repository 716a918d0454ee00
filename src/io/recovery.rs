//! The autosave (recovery) file.
//!
//! While a design has unsaved changes the app writes it here every so often
//! and from its panic hook; on the next start it offers to restore it. The
//! file lives in the data folder the caller passes (the app's own folder),
//! never beside the user's file, and is written atomically like a save.
//!
//! The recovery file is a RON wrapper around a design: when it was saved, the
//! path of the file the design came from (if any), and the design itself.
//!
//! Known limits: there is one recovery file per data folder, so two windows
//! of the app share it (the last writer wins); a source path that is not
//! valid UTF-8 is not remembered.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{SaveError, finish_load, read_text, ron_options, write_atomically};
use crate::model::{Diagram, FORMAT_VERSION};

/// The recovery file's name inside the data folder.
pub const FILE_NAME: &str = "recovery.ron";

/// A design found in the data folder, left by an earlier run.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    /// The design as it was at the last autosave.
    pub diagram: Diagram,
    /// When it was written.
    pub saved_at: SystemTime,
    /// The file the design was opened from or last saved to, if any.
    pub source_path: Option<PathBuf>,
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

/// The path of the recovery file in `data_dir`.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// Writes `diagram` to the recovery file in `data_dir` (creating the folder
/// if needed), replacing any earlier one atomically.
pub fn write(
    data_dir: &Path,
    diagram: &Diagram,
    source_path: Option<&Path>,
) -> Result<(), SaveError> {
    let path = path_in(data_dir);
    std::fs::create_dir_all(data_dir).map_err(|source| SaveError::Io {
        step: super::SaveStep::CreateTemp,
        source,
        path: path.clone(),
    })?;
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
    let config = ron::ser::PrettyConfig::new().indentor("    ".to_owned());
    let text = ron_options()
        .to_string_pretty(&out, config)
        .map_err(|err| SaveError::Encode {
            message: err.to_string(),
        })?;
    write_atomically(&path, text.as_bytes(), |file, bytes| {
        std::io::Write::write_all(file, bytes)
    })
}

/// The recovery file in `data_dir`, if there is one that loads. A recovery
/// file that is damaged or from a newer Archboard is treated as absent (and
/// left in place, so a newer build can still use it).
pub fn find(data_dir: &Path) -> Option<Recovery> {
    let text = read_text(&path_in(data_dir)).ok()?;
    let found: RecoveryIn = ron_options().from_str(&text).ok()?;
    let version = found.diagram.format_version;
    if version == 0 || version > FORMAT_VERSION {
        return None;
    }
    let diagram = finish_load(found.diagram, version).ok()?;
    Some(Recovery {
        diagram,
        saved_at: UNIX_EPOCH + Duration::from_millis(found.saved_at_unix_ms),
        source_path: found.source_path,
    })
}

/// Removes the recovery file from `data_dir`. Removing one that does not
/// exist is not an error.
pub fn remove(data_dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path_in(data_dir)) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}
