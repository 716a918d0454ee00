//! Writing to the terminal without panicking and without letting a design
//! write to the terminal.
//!
//! `println!` panics when standard output is closed (`archboard check big.ron
//! | head -1`) or full (`> /dev/full`). Every subcommand prints through
//! [`Stdout`] instead: a closed pipe ends the output quietly, as other
//! command-line tools do, and any other failure is reported once on
//! standard error and turns into [`EXIT_WRITE_FAILED`].
//!
//! Text that comes from a design file (names, titles, labels, messages,
//! paths) goes through [`terminal_safe`] first: control characters, escape
//! sequences and bidirectional controls become visible escapes, so a file
//! cannot recolour the terminal, move its cursor, reorder what is shown or
//! split one finding over several lines.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;

use super::EXIT_WRITE_FAILED;

/// Standard output for one command. Once a write fails, later writes are
/// skipped, and [`Stdout::finish`] gives the exit code.
#[derive(Debug, Default)]
pub struct Stdout {
    failed: Option<std::io::Error>,
}

impl Stdout {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `text` as it is (the caller made untrusted parts safe).
    pub fn print(&mut self, text: &str) {
        self.write_bytes(text.as_bytes());
    }

    /// Writes `bytes` as they are: an exported file printed with `-o -`.
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        let mut out = std::io::stdout().lock();
        if let Err(err) = out.write_all(bytes).and_then(|()| out.flush()) {
            self.failed = Some(err);
        }
    }

    /// `text` and a newline.
    pub fn line(&mut self, text: &str) {
        self.print(&format!("{text}\n"));
    }

    /// The exit code: `code` when everything was written or the reader
    /// closed the pipe, [`EXIT_WRITE_FAILED`] (with a message on standard
    /// error) when the output could not be written.
    pub fn finish(self, code: u8) -> u8 {
        match self.failed {
            None => code,
            Some(err) if err.kind() == std::io::ErrorKind::BrokenPipe => code,
            Some(err) => {
                eprint_line(&format!("could not write the output: {err}"));
                EXIT_WRITE_FAILED
            }
        }
    }
}

/// Prints one line on standard error, ignoring a closed or full stream
/// (there is nowhere left to report that).
pub fn eprint_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// `text` with every character that could act on a terminal shown as an
/// escape: C0 and C1 control characters (newline, tab and escape included),
/// DEL, bidirectional embeddings, overrides, isolates and marks, line and
/// paragraph separators. `ESC[31m` becomes `\u{1b}[31m`. Text without them
/// is returned as it is.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether [`terminal_safe`] escapes `c`.
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control() || crate::io::is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn controls_escapes_and_bidi_become_visible() {
        assert_eq!(terminal_safe("plain ünïcode"), "plain ünïcode");
        assert_eq!(terminal_safe("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(terminal_safe("two\nlines\r"), "two\\u{a}lines\\u{d}");
        assert_eq!(terminal_safe("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal_safe("\u{9b}2J\u{7f}"), "\\u{9b}2J\\u{7f}");
        assert_eq!(terminal_safe("a\u{2066}b\u{2069}"), "a\\u{2066}b\\u{2069}");
    }
}
