//! `archboard report PATH [-o OUT.md] [--session N|latest] [--format
//! markdown|json]`: the Markdown report of a design file, or of one of its
//! recorded interview sessions (read from the sessions file beside it) with
//! its scorecard; `--format json` gives a recorded session's scorecard as
//! data. Without `--session` there is no interview, so the probes are listed
//! unasked and no time is recorded; that report embeds the design as a
//! Mermaid block, as the app's export does (which also writes a PNG of the
//! design beside the report).
//!
//! Where the report goes:
//!
//! - `-o -` (the default) or `-o /dev/stdout` prints it (a closed pipe ends
//!   it quietly);
//! - a regular file, new or old, is written by [`crate::io::write_atomically`],
//!   the routine design saves use: a temporary file beside it, synced, then
//!   renamed over it, so a failure never leaves a half-written report or
//!   destroys an older one. An existing file keeps its permissions, a new
//!   one gets the usual `0666` less the umask, and a symbolic link is
//!   followed (its target is replaced, the link stays);
//! - another existing non-regular file (a FIFO, `/dev/null`, a terminal) is
//!   opened and written directly, as a shell redirection would;
//! - the design file itself is refused.
//!
//! Exit codes: 0 written, 2 when the output is the design itself, 3 when the
//! design cannot be loaded, 4 when the report cannot be written.

use std::io::Write as _;
use std::path::Path;

use super::output::{Stdout, eprint_line, terminal_safe};
use super::{EXIT_LOAD_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED, load_or_report};
use crate::interview::InterviewSession;
use crate::interview::recording::load_sessions;
use crate::interview::report::recorded_session_report;

/// Paths that mean "standard output".
const STDOUT_PATHS: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// What `report` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    /// The scorecard of a recorded session as JSON, for other tools (the
    /// interviewer's console).
    Json,
}

/// The JSON form of a recorded session's scorecard.
#[derive(serde::Serialize)]
struct ScorecardJson<'a> {
    session: usize,
    started_at_ms: u64,
    duration_ms: u64,
    finished: bool,
    scorecard: &'a crate::interview::Scorecard,
}

/// Which recorded session to report on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionChoice {
    Number(usize),
    Latest,
}

impl std::str::FromStr for SessionChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("latest") {
            return Ok(Self::Latest);
        }
        match text.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(Self::Number(n)),
            _ => Err("expected a session number from 1, or `latest`".to_owned()),
        }
    }
}

/// Runs the command and returns the exit code.
pub fn run(path: &Path, output: &Path, session: Option<SessionChoice>, format: ReportFormat) -> u8 {
    let Some(diagram) = load_or_report(path) else {
        return EXIT_LOAD_FAILED;
    };
    let report = match (session, format) {
        (None, ReportFormat::Json) => {
            eprint_line("--format json needs --session: only a recorded session has a scorecard");
            return EXIT_USAGE;
        }
        (None, ReportFormat::Markdown) => {
            // The app's report without its session, picture or what-if
            // questions: the design as a Mermaid block comes along.
            crate::app::session_report(&diagram, &InterviewSession::new(), 0.0, &[], None)
        }
        (Some(choice), format) => match recorded(path, choice, format) {
            Ok(report) => report,
            Err((code, message)) => {
                eprint_line(&terminal_safe(&message));
                return code;
            }
        },
    };
    let mut out = Stdout::new();
    if STDOUT_PATHS.iter().any(|p| output == Path::new(p)) {
        out.print(&report);
        return out.finish(0);
    }
    let shown = terminal_safe(&output.display().to_string()).into_owned();
    if super::is_same_file(path, output) {
        eprint_line(&format!(
            "the report would overwrite the design itself; choose another output file ({shown})"
        ));
        return EXIT_USAGE;
    }
    let written = match std::fs::metadata(output) {
        Ok(metadata) if !metadata.is_file() && !metadata.is_dir() => {
            write_directly(output, &report)
                .map_err(|err| format!("could not write the report: {err} ({shown})"))
        }
        _ => crate::io::write_text_atomically(output, &report).map_err(|err| {
            terminal_safe(&format!("could not write the report: {err}")).into_owned()
        }),
    };
    match written {
        Ok(()) => {
            out.line(&format!("wrote {shown}"));
            out.finish(0)
        }
        Err(message) => {
            eprint_line(&message);
            EXIT_WRITE_FAILED
        }
    }
}

/// Writes to an existing device or pipe without creating or replacing it.
fn write_directly(output: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).open(output)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// The report of a recorded session of the design at `path`, or the exit
/// code and message when there is none.
fn recorded(
    path: &Path,
    choice: SessionChoice,
    format: ReportFormat,
) -> Result<String, (u8, String)> {
    let sidecar = crate::io::sessions::sidecar_path(path);
    let sessions = match load_sessions(&sidecar) {
        Ok(Some(file)) => file.sessions,
        Ok(None) => Vec::new(),
        Err(err) => {
            return Err((
                EXIT_LOAD_FAILED,
                format!("could not load the sessions: {err}"),
            ));
        }
    };
    let number = match choice {
        SessionChoice::Latest => sessions.len(),
        SessionChoice::Number(n) => n,
    };
    let Some(session) = number.checked_sub(1).and_then(|i| sessions.get(i)) else {
        let have = match sessions.len() {
            0 => "no recorded sessions".to_owned(),
            1 => "1 recorded session".to_owned(),
            n => format!("{n} recorded sessions"),
        };
        return Err((
            EXIT_USAGE,
            format!("the design has {have}: {}", sidecar.display()),
        ));
    };
    let cannot = |err: crate::interview::ReplayError| {
        (
            EXIT_LOAD_FAILED,
            format!(
                "session {number} cannot be replayed: {err}: {}",
                sidecar.display()
            ),
        )
    };
    match format {
        ReportFormat::Markdown => recorded_session_report(session, number).map_err(cannot),
        ReportFormat::Json => {
            let card = match &session.scorecard {
                Some(card) => card.clone(),
                None => crate::interview::score_session(session).map_err(cannot)?,
            };
            let data = ScorecardJson {
                session: number,
                started_at_ms: session.started_at_ms,
                duration_ms: session.duration_ms(),
                finished: session.finished,
                scorecard: &card,
            };
            serde_json::to_string_pretty(&data)
                .map(|mut text| {
                    text.push('\n');
                    text
                })
                .map_err(|err| {
                    (
                        EXIT_WRITE_FAILED,
                        format!("could not encode the scorecard: {err}"),
                    )
                })
        }
    }
}
