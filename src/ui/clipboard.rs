//! The system clipboard for pictures ("Copy as image"), through `arboard`.
//!
//! egui's own clipboard carries only text, so pictures go through arboard
//! directly. The connection is opened on the first copy and kept: on X11
//! the copying program serves the clipboard's contents for as long as it
//! holds them, so dropping it would empty the clipboard again. A machine
//! without a clipboard (no display server, a bare container) gets a clear
//! error instead of a silent nothing.
//!
//! Tests replace the system clipboard with one in memory
//! ([`ImageClipboard::in_memory`]) or with a missing one
//! ([`ImageClipboard::unavailable`]).

use crate::export::Pixels;

/// Where "Copy as image" puts its picture.
pub struct ImageClipboard {
    backend: Backend,
}

enum Backend {
    /// The system clipboard, opened on first use.
    System(Option<arboard::Clipboard>),
    /// Keeps the last picture (tests).
    Memory(Option<Pixels>),
    /// There is no clipboard, for this reason (tests).
    Missing(String),
}

impl Default for ImageClipboard {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for ImageClipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.backend {
            Backend::System(_) => "system",
            Backend::Memory(_) => "memory",
            Backend::Missing(_) => "missing",
        };
        f.debug_struct("ImageClipboard")
            .field("backend", &kind)
            .finish()
    }
}

impl ImageClipboard {
    /// The desktop's clipboard.
    pub fn system() -> Self {
        Self {
            backend: Backend::System(None),
        }
    }

    /// A clipboard that only keeps the last picture (tests).
    pub fn in_memory() -> Self {
        Self {
            backend: Backend::Memory(None),
        }
    }

    /// A machine without a clipboard (tests): every copy fails with `why`.
    pub fn unavailable(why: &str) -> Self {
        Self {
            backend: Backend::Missing(why.to_owned()),
        }
    }

    /// Puts a picture on the clipboard. The error is a sentence fragment
    /// for the status bar.
    pub fn set_image(&mut self, picture: Pixels) -> Result<(), String> {
        match &mut self.backend {
            Backend::Memory(kept) => {
                *kept = Some(picture);
                Ok(())
            }
            Backend::Missing(why) => Err(why.clone()),
            Backend::System(slot) => {
                let clipboard = match slot {
                    Some(clipboard) => clipboard,
                    None => slot.insert(arboard::Clipboard::new().map_err(|err| {
                        format!("there is no clipboard to copy to on this machine ({err})")
                    })?),
                };
                clipboard
                    .set_image(arboard::ImageData {
                        width: picture.width as usize,
                        height: picture.height as usize,
                        bytes: picture.rgba.into(),
                    })
                    .map_err(|err| format!("the clipboard refused the picture ({err})"))
            }
        }
    }

    /// The last picture copied to an in-memory clipboard.
    pub fn last_image(&self) -> Option<&Pixels> {
        match &self.backend {
            Backend::Memory(kept) => kept.as_ref(),
            _ => None,
        }
    }
}
