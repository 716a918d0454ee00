//! The files that hold recorded interview sessions, without knowing their
//! contents: where they live, and reading and writing them with the same
//! care as designs (size limit, nesting limit, the version read first,
//! atomic writes).
//!
//! The sessions of `NAME.ron` live beside it in `NAME.sessions.ron` (see
//! `docs/file-format.md`); the types inside are `interview::recording`'s,
//! which sits above this layer and passes them in as type parameters. The
//! sessions of a design that has no file yet are autosaved to
//! [`RECOVERY_FILE_NAME`] in the app's data folder.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{
    LoadError, LoadErrorKind, MAX_FILE_BYTES, SaveError, read_text, ron_options, syntax_error,
    write_atomically,
};

/// What is appended to a design's file name (less `.ron`) for its sessions.
pub const SIDECAR_SUFFIX: &str = ".sessions.ron";

/// The sessions of a design without a file, in the app's data folder.
pub const RECOVERY_FILE_NAME: &str = "recovery-sessions.ron";

/// Where the sessions of the design at `design` live: `chat.ron` →
/// `chat.sessions.ron`; a name without `.ron` gets the suffix appended.
pub fn sidecar_path(design: &Path) -> PathBuf {
    let name = design
        .file_name()
        .map_or_else(|| "design".into(), |n| n.to_string_lossy().into_owned());
    let stem = name.strip_suffix(".ron").unwrap_or(&name);
    design.with_file_name(format!("{stem}{SIDECAR_SUFFIX}"))
}

/// Whether `path` looks like a sessions file rather than a design.
pub fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(SIDECAR_SUFFIX))
}

/// How deep a sessions file is pretty-printed; deeper values go on one line.
const SESSIONS_DEPTH_LIMIT: usize = 4;

/// The sessions recovery file in `data_dir`.
pub fn recovery_path(data_dir: &Path) -> PathBuf {
    data_dir.join(RECOVERY_FILE_NAME)
}

/// Just the version of a sessions file.
#[derive(serde::Deserialize)]
struct VersionPeek {
    #[serde(default, deserialize_with = "super::some_version")]
    format_version: Option<u32>,
}

/// Reads a sessions file of a version up to `supported`. Returns the parsed
/// value and the version the file was written in (for the caller's
/// migrations). The error names the path last.
pub fn load<T: DeserializeOwned>(path: &Path, supported: u32) -> Result<(T, u32), LoadError> {
    let (text, _) = read_text(path).map_err(|err| err.with_path(path))?;
    parse(&text, supported).map_err(|err| err.with_path(path))
}

/// Like [`load`], but a file that does not exist is `None`.
pub fn load_if_present<T: DeserializeOwned>(
    path: &Path,
    supported: u32,
) -> Result<Option<(T, u32)>, LoadError> {
    match std::fs::metadata(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => load(path, supported).map(Some),
    }
}

/// Parses sessions text: the version first, then the whole.
pub fn parse<T: DeserializeOwned>(text: &str, supported: u32) -> Result<(T, u32), LoadError> {
    if text.trim().is_empty() {
        return Err(LoadErrorKind::Empty.into());
    }
    let options = ron_options();
    let version = match options.from_str::<VersionPeek>(text) {
        // Not RON at all: the full parse says where.
        Err(_) => {
            return Err(options.from_str::<T>(text).map_or_else(syntax_error, |_| {
                LoadErrorKind::BadVersion("the file has no format_version".to_owned()).into()
            }));
        }
        Ok(VersionPeek {
            format_version: Some(0) | None,
        }) => {
            return Err(LoadErrorKind::BadVersion(
                "the file has no format_version, so it is not an Archboard sessions file"
                    .to_owned(),
            )
            .into());
        }
        Ok(VersionPeek {
            format_version: Some(found),
        }) if found > supported => {
            return Err(LoadErrorKind::NewerVersion { found, supported }.into());
        }
        Ok(VersionPeek {
            format_version: Some(version),
        }) => version,
    };
    let value = options.from_str::<T>(text).map_err(syntax_error)?;
    Ok((value, version))
}

/// Encodes a sessions file as pretty-printed RON.
pub fn to_ron_string<T: Serialize>(value: &T) -> Result<String, SaveError> {
    // Pretty down to one line per event (and per session's starting
    // design): readable and diffable by line, without the indentation of
    // every nested field, which made a long session several times larger.
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ".to_owned())
        .depth_limit(SESSIONS_DEPTH_LIMIT);
    ron_options()
        .to_string_pretty(value, config)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|err| SaveError::Encode {
            message: err.to_string(),
        })
}

/// Writes a sessions file atomically (a failure leaves the old one as it
/// was). A file over [`MAX_FILE_BYTES`] is refused, as it could not be read
/// back.
pub fn save<T: Serialize>(path: &Path, value: &T) -> Result<(), SaveError> {
    let text = to_ron_string(value)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(SaveError::TooLarge {
            size_bytes: text.len() as u64,
            limit_bytes: MAX_FILE_BYTES,
            path: Some(path.to_path_buf()),
        });
    }
    if let Some(folder) = path.parent()
        && !folder.as_os_str().is_empty()
        && !folder.exists()
    {
        std::fs::create_dir_all(folder).map_err(|source| SaveError::Io {
            step: super::SaveStep::CreateTemp,
            source,
            path: path.to_path_buf(),
        })?;
    }
    write_atomically(path, text.as_bytes())
}

/// Removes a sessions file; one that does not exist is not an error.
pub fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Sample {
        format_version: u32,
        names: Vec<String>,
    }

    #[test]
    fn the_sidecar_sits_beside_the_design() {
        assert_eq!(
            sidecar_path(Path::new("/d/chat.ron")),
            Path::new("/d/chat.sessions.ron")
        );
        assert_eq!(
            sidecar_path(Path::new("notes")),
            Path::new("notes.sessions.ron")
        );
        assert!(is_sidecar(Path::new("/d/chat.sessions.ron")));
        assert!(!is_sidecar(Path::new("/d/chat.ron")));
    }

    #[test]
    fn round_trip_and_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("x.sessions.ron");
        let sample = Sample {
            format_version: 1,
            names: vec!["one \"quoted\"".to_owned()],
        };
        save(&path, &sample).unwrap();
        let (back, version): (Sample, u32) = load(&path, 1).unwrap();
        assert_eq!((back, version), (sample, 1));

        let newer = parse::<Sample>("(format_version: 7, names: [], extra: 1)", 1).unwrap_err();
        assert!(newer.to_string().contains("format version 7"), "{newer}");
        let none = parse::<Sample>("(names: [])", 1).unwrap_err();
        assert!(none.to_string().contains("no format_version"), "{none}");
        let bad = parse::<Sample>("(format_version: 1, names: [1])", 1).unwrap_err();
        assert!(bad.position().is_some(), "{bad}");
        assert!(
            load_if_present::<Sample>(&dir.path().join("nope"), 1)
                .unwrap()
                .is_none()
        );
    }
}
