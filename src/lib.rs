//! Archboard: a desktop whiteboard for system-design interview practice.
//!
//! The crate is layered; each layer uses only the ones listed before it:
//!
//! - [`model`]: the diagram and the one edit type that changes it (no UI types)
//! - [`catalog`]: the component kinds of the palette
//! - [`rules`]: the design checklist, pure functions of a diagram
//! - [`io`]: design files
//! - [`interview`]: estimates, the interview timer, probes and the session report
//! - [`templates`]: the built-in designs of classic interview questions
//! - [`layout`]: automatic layered layout (Tidy up, Mermaid import)
//! - [`export`]: SVG, PNG, PDF, Mermaid / D2 / DOT out, Mermaid in
//! - [`sim`]: what if: failures and traffic played through the design, with reasons
//! - [`app`]: the session: the open document and everything derived from it,
//!   and `Session::execute`, the one door every change goes through
//! - [`live`]: the interviewer link: the server, the protocol, the relay
//! - [`ui`]: the egui front end
//!
//! `ARCHITECTURE.md` explains the data flow and where to change what.

pub mod app;
pub mod catalog;
pub mod cli;
pub mod export;
pub mod interview;
pub mod io;
pub mod layout;
pub mod live;
pub mod model;
pub mod rules;
pub mod sim;
pub mod templates;
pub mod ui;
