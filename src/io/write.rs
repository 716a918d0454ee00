//! The one atomic-write routine: design saves, the recovery file, the
//! session report and any export go through [`write_atomically`].
//!
//! The bytes go to a temporary file beside the target, which is flushed,
//! synced and renamed over the target, then the folder is synced. On any
//! failure the temporary file is removed and the target is exactly as it
//! was. What the target is:
//!
//! - a symbolic link is followed (to the end of a chain), so the file it
//!   points to is replaced and the link stays a link; a dangling link
//!   creates the file it points to, in a folder that must exist;
//! - an existing file keeps its permission bits; a new file gets
//!   `0666` less the umask, as any program's new file does;
//! - a folder, device, FIFO or socket is refused ([`SaveStep::Target`]):
//!   renaming over one would replace it, and writing to one is not a save.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{SaveError, SaveStep};

/// How many symbolic links a save follows before it gives up (the kernel's
/// own limit for path lookups is 40).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` atomically. See the module comment.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomically_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// [`write_atomically`] with the write step replaceable, so tests can make
/// it fail as a full disk would.
pub(crate) fn write_atomically_with(
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
    let target = resolve_target(path).map_err(io_error(SaveStep::Target))?;
    let existing = match std::fs::metadata(&target) {
        Ok(metadata) if metadata.is_file() => Some(metadata),
        Ok(_) => {
            return Err(io_error(SaveStep::Target)(std::io::Error::other(
                "this is not a regular file",
            )));
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(io_error(SaveStep::Target)(err)),
    };
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map_or_else(|| "file".into(), |name| name.to_string_lossy());
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the permissions any new file would (0666 less the
    // umask), not the owner-only mode temporary files start with.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    if !folder.is_dir() {
        return Err(io_error(SaveStep::CreateTemp)(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", folder.display()),
        )));
    }
    let mut temp = builder
        .tempfile_in(&folder)
        .map_err(|err| io_error(SaveStep::CreateTemp)(without_temp_path(err)))?;
    // Keep the permissions of the file being replaced.
    if let Some(metadata) = existing {
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

/// `tempfile` adds the random temporary path to its errors; the message
/// names the real target instead, so keep only the reason.
fn without_temp_path(err: std::io::Error) -> std::io::Error {
    let kind = err.kind();
    match err.get_ref().and_then(std::error::Error::source) {
        Some(reason) => std::io::Error::new(kind, reason.to_string()),
        None => err,
    }
}

/// The file a write to `path` lands in: `path` itself, or the end of the
/// chain of symbolic links it starts, even when that end does not exist yet.
pub(crate) fn resolve_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}
