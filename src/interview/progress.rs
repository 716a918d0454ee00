//! Progress across sessions.
