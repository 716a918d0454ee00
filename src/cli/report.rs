//! `archboard report PATH [-o OUT.md] [--session N|latest]`: writes the
//! Markdown session report of a design file. Without `--session` there is
//! no interview, so the probes are listed unasked and no time is recorded;
//! with it, the report is that of a recorded session (kept beside the
//! design in `NAME.sessions.ron`): the design as it was at its end, the
//! ratings, the time per phase and the scorecard.
//!
//! The report is written to a temporary file in the output folder and
//! renamed over `OUT.md` only when complete, so a failure never leaves a
//! half-written report (or destroys an older one). `-o -` prints it instead.

use std::io::Write as _;
use std::path::Path;

use super::{EXIT_LOAD_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED};
use crate::interview::recording::load_sessions;
use crate::interview::report::recorded_session_report;
use crate::interview::{InterviewSession, session_report};

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
    let diagram = match crate::io::load(path) {
        Ok(diagram) => diagram,
        Err(err) => {
            eprintln!("could not load the design: {err}: {}", path.display());
            return EXIT_LOAD_FAILED;
        }
    };
    let report = match (session, format) {
        (None, ReportFormat::Json) => {
            eprintln!("--format json needs --session: only a recorded session has a scorecard");
            return EXIT_USAGE;
        }
        (None, ReportFormat::Markdown) => session_report(&diagram, &InterviewSession::new(), 0.0),
        (Some(choice), format) => match recorded(path, choice, format) {
            Ok(report) => report,
            Err((code, message)) => {
                eprintln!("{message}");
                return code;
            }
        },
    };
    if output == Path::new("-") {
        print!("{report}");
        return 0;
    }
    if is_same_file(path, output) {
        eprintln!(
            "the report would overwrite the design itself; choose another output file: {}",
            output.display()
        );
        return EXIT_USAGE;
    }
    match write_atomically(output, &report) {
        Ok(()) => {
            println!("wrote {}", output.display());
            0
        }
        Err(message) => {
            eprintln!(
                "could not write the report: {message}: {}",
                output.display()
            );
            EXIT_WRITE_FAILED
        }
    }
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

fn is_same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes `text` to a temporary file next to `output`, flushes it to disk
/// and renames it over `output`. Returns a reason (without the path) on
/// failure; the temporary file is removed then.
fn write_atomically(output: &Path, text: &str) -> Result<(), String> {
    let folder = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!("the folder {} does not exist", folder.display()));
    }
    if output.is_dir() {
        return Err("that is a folder, not a file".to_owned());
    }
    let mut file = tempfile::Builder::new()
        .prefix(".archboard-report-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|err| err.to_string())?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|err| err.to_string())?;
    file.persist(output).map_err(|err| err.error.to_string())?;
    Ok(())
}
