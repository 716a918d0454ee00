//! What a remote mock interviewer adds to an interview: comments pinned to
//! components and curveballs thrown at the candidate.
//!
//! Both belong to the interview session, not to the design: they are never
//! saved in the design file and never enter the design's undo history, so
//! the candidate's Ctrl+Z cannot take an interviewer's pin away. The types
//! are plain serde data so that a saved interview session can keep them.

use serde::{Deserialize, Serialize};

use crate::model::Id;

/// The longest comment text, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// The longest curveball detail, in characters.
pub const MAX_DETAIL_CHARS: usize = 500;
/// The longest author name, in characters.
pub const MAX_AUTHOR_CHARS: usize = 60;
/// How many comments or curveballs one interview keeps at most.
pub const MAX_ITEMS: usize = 500;

/// A comment an interviewer pinned to a component.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Unique among the interview's comments and curveballs.
    pub id: u64,
    /// The component it is pinned to (it may have been deleted since).
    pub component: Id,
    pub text: String,
    /// Who wrote it (the viewer's name).
    pub author: String,
    /// When, in milliseconds since the Unix epoch (the session's clock).
    pub at_ms: u64,
    /// The candidate (or the interviewer) marked it as dealt with.
    pub resolved: bool,
}

/// The kinds of curveball an interviewer can throw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CurveballKind {
    /// Traffic grows tenfold.
    TrafficSurge,
    /// A whole region goes down.
    RegionDown,
    /// The cache starts empty.
    ColdCache,
    /// A dependency starts failing.
    DependencyFails,
    /// The product asks for something new.
    NewRequirement,
}

impl CurveballKind {
    pub const ALL: [Self; 5] = [
        Self::TrafficSurge,
        Self::RegionDown,
        Self::ColdCache,
        Self::DependencyFails,
        Self::NewRequirement,
    ];

    /// The headline shown on the candidate's banner.
    pub fn label(self) -> &'static str {
        match self {
            Self::TrafficSurge => "Traffic ×10",
            Self::RegionDown => "A region goes down",
            Self::ColdCache => "The cache starts cold",
            Self::DependencyFails => "A dependency fails",
            Self::NewRequirement => "A new requirement",
        }
    }

    /// What the candidate is asked to think about.
    pub fn prompt(self) -> &'static str {
        match self {
            Self::TrafficSurge => {
                "Peak load is now ten times what you planned for. What breaks first, and what do you change?"
            }
            Self::RegionDown => {
                "One region is unreachable. Who notices, what keeps working, and how do users get served?"
            }
            Self::ColdCache => {
                "The cache was just flushed. What does the database see in the next minute, and how do you protect it?"
            }
            Self::DependencyFails => {
                "A service you call starts timing out. How far does the failure spread, and what do callers do?"
            }
            Self::NewRequirement => {
                "The product needs something new. Where does it fit in your design, and what has to change?"
            }
        }
    }
}

/// A curveball thrown during the interview; the candidate sees it as a
/// banner until it is dismissed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curveball {
    /// Unique among the interview's comments and curveballs.
    pub id: u64,
    pub kind: CurveballKind,
    /// The interviewer's detail ("us-east-1", "payments must be exactly once").
    pub detail: String,
    pub author: String,
    /// When, in milliseconds since the Unix epoch (the session's clock).
    pub at_ms: u64,
    pub dismissed: bool,
}

/// Why a comment or curveball was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    #[error("the comment is empty")]
    EmptyComment,
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the interview already holds {MAX_ITEMS} comments or curveballs")]
    TooMany,
    #[error("there is no comment or curveball {0}")]
    UnknownId(u64),
}

/// Checks a piece of text against a length limit (in characters).
pub fn check_len(text: &str, max: usize) -> Result<(), RemoteError> {
    if text.chars().count() > max {
        Err(RemoteError::TooLong { max })
    } else {
        Ok(())
    }
}
