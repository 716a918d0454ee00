//! The application without any UI: the [`Session`] that owns the open
//! document and everything derived from it, and the one door every change
//! goes through.
//!
//! ```text
//! input ─► Command ─► Session::execute ─► History ─► Edit::apply(&mut Diagram)
//!                          │
//!                          ├─► command log (command, change, inverse, origin, time)
//!                          └─► derived data keyed by (document identity, revision)
//! ```
//!
//! The UI reads the session and sends commands; the CLI, the interviewer
//! link and the tests use the same door without a window.

mod clock;
mod command;
mod derived;
mod document;
mod drawing;
mod files;
mod formats;
mod history;
mod log;
mod present;
mod report;
mod session;
mod sessions;
mod whatif;

/// The example design, built in code (tests and benchmarks use it).
pub use crate::templates::example;
pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use command::{
    Alignment, Axis, Command, FileCommand, Origin, PresentCommand, PromptAnswer, SelectionChange,
    SessionCommand, TimerCommand,
};
pub use derived::{Derived, DocKey, DocumentId};
pub use document::Document;
pub use files::{
    AUTOSAVE_INTERVAL, DialogRequest, DiskNotice, Pending, Prompt, file_name, install_panic_hook,
};
pub use formats::{EXPORT_PNG_SCALE, ExportFormat, app_export_options, copy_scope};
pub use history::{History, HistoryError, MergeKey, Replayed, Selection};
pub use log::{Change, CommandLog, LogEntry};
pub use present::{revealed, step_from_selection};
pub use report::{REPORT_PNG_SCALE, session_report};
pub use session::{
    Checked, CommandError, GRID, Outcome, Session, Status, free_spot, fresh_name, snap,
};
pub use sessions::{LatestScorecard, ReplayView, SessionSummary, edit_towards};
pub use whatif::{WhatIf, WhatIfCommand, curveball_scenario};

#[cfg(test)]
mod tests;
