//! The messages between the host and a viewer's page, as JSON text frames.
//!
//! Host to viewer: `welcome` once, then a `snapshot` (the whole board, its
//! drawing in pieces, and the interview state), then `delta` and
//! `interview` updates, each with the next sequence number. A `delta`
//! carries only what changed on the board: the drawing's pieces drawn
//! anew or gone (by layer and id), the frame, the cards and probes that
//! changed ([`ListDelta`]). A viewer that sees a gap in the numbers, or
//! cannot apply a delta, asks for a `resync` and ignores updates until the
//! next snapshot. `pointer`
//! (laser, cursor, presenter's view) and `reply` / `error` carry no
//! sequence number: pointers are latest-wins, replies answer one request.
//!
//! Only to viewers who may rate: `scorecard` ([`ScorecardInfo`]), after
//! their snapshot and whenever the score changes; no sequence number, the
//! latest wins.
//!
//! Viewer to host: [`ViewerMsg`]. Anything else, anything malformed and
//! anything too large gets an `error` back and changes nothing.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::export::{Changes, Drawing, Layer, Piece};
use crate::interview::{Comment, Curveball, CurveballKind, ProbeRecord, Rating};
use crate::model::Rect;

/// The largest message a viewer may send, in bytes.
pub const MAX_VIEWER_MESSAGE_BYTES: usize = 16 * 1024;
/// The longest request id a viewer may use, in bytes.
pub const MAX_REQ_BYTES: usize = 64;
/// The longest name a viewer may give, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// The longest probe key, in bytes.
pub const MAX_KEY_BYTES: usize = 200;

/// What a viewer may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Rates probes, pins comments, throws curveballs.
    Interviewer,
    /// Watches only.
    Observer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Self::Interviewer => "interviewer",
            Self::Observer => "observer",
        }
    }
}

/// A message from a viewer's page.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ViewerMsg {
    /// Who is watching. `client` stays the same across reconnects of one
    /// page, so a request sent again after a drop is applied once.
    Hello {
        #[serde(default)]
        name: String,
        #[serde(default)]
        client: String,
    },
    /// Asks for a fresh snapshot (after a gap in the sequence numbers).
    Resync,
    /// Sets what the interviewer noted about one probe.
    Rate {
        req: String,
        key: String,
        #[serde(default)]
        asked: bool,
        #[serde(default)]
        rating: Option<Rating>,
        #[serde(default)]
        note: String,
    },
    /// Pins a comment to a component.
    Pin {
        req: String,
        component: u64,
        text: String,
    },
    /// Marks a comment resolved or open.
    Resolve {
        req: String,
        id: u64,
        resolved: bool,
    },
    /// Throws a curveball.
    Curveball {
        req: String,
        kind: CurveballKind,
        #[serde(default)]
        detail: String,
    },
    /// Takes a curveball's banner away.
    Dismiss { req: String, id: u64 },
}

impl ViewerMsg {
    /// The request id, for messages that ask for a change.
    pub fn req(&self) -> Option<&str> {
        match self {
            Self::Hello { .. } | Self::Resync => None,
            Self::Rate { req, .. }
            | Self::Pin { req, .. }
            | Self::Resolve { req, .. }
            | Self::Curveball { req, .. }
            | Self::Dismiss { req, .. } => Some(req),
        }
    }

    /// Turns a request into the session command it asks for, with the
    /// viewer's name as the author. `None` for messages that are not
    /// commands.
    pub fn command(&self, author: &str) -> Option<crate::app::Command> {
        use crate::app::Command;
        Some(match self {
            Self::Hello { .. } | Self::Resync => return None,
            Self::Rate {
                key,
                asked,
                rating,
                note,
                ..
            } => Command::RateProbe {
                key: key.clone(),
                record: ProbeRecord {
                    asked: *asked,
                    rating: *rating,
                    note: note.clone(),
                },
            },
            Self::Pin {
                component, text, ..
            } => Command::PinComment {
                component: crate::model::Id(*component),
                text: text.clone(),
                author: author.to_owned(),
            },
            Self::Resolve { id, resolved, .. } => Command::ResolveComment {
                id: *id,
                resolved: *resolved,
            },
            Self::Curveball { kind, detail, .. } => Command::ThrowCurveball {
                kind: *kind,
                detail: detail.clone(),
                author: author.to_owned(),
            },
            Self::Dismiss { id, .. } => Command::DismissCurveball { id: *id },
        })
    }
}

/// Why a viewer's message was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("messages must be text")]
    NotText,
    #[error("the message is larger than {MAX_VIEWER_MESSAGE_BYTES} bytes")]
    TooLarge,
    #[error("the message could not be read: {0}")]
    Malformed(String),
    #[error("the request id must be 1 to {MAX_REQ_BYTES} bytes")]
    BadReq,
    #[error("the probe key is too long")]
    BadKey,
    #[error("this link is read-only")]
    ReadOnly,
    #[error("too many messages: slow down")]
    RateLimited,
}

/// Reads one text message from a viewer.
pub fn parse_viewer_msg(text: &str) -> Result<ViewerMsg, ProtocolError> {
    if text.len() > MAX_VIEWER_MESSAGE_BYTES {
        return Err(ProtocolError::TooLarge);
    }
    let msg: ViewerMsg = serde_json::from_str(text).map_err(|err| {
        // serde_json's messages quote at most a short piece of the input.
        let mut reason = err.to_string();
        reason.truncate(160);
        ProtocolError::Malformed(reason)
    })?;
    if let Some(req) = msg.req()
        && (req.is_empty() || req.len() > MAX_REQ_BYTES)
    {
        return Err(ProtocolError::BadReq);
    }
    if let ViewerMsg::Rate { key, .. } = &msg
        && key.len() > MAX_KEY_BYTES
    {
        return Err(ProtocolError::BadKey);
    }
    Ok(msg)
}

/// A viewer's name as shown to others: control characters dropped, cut to
/// [`MAX_NAME_CHARS`], a default when nothing is left.
pub fn clean_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        fallback.to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The laser pointer, the candidate's cursor and the presenter's view, in
/// canvas units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pointer {
    pub laser: Option<[f32; 2]>,
    pub cursor: Option<[f32; 2]>,
    /// The part of the canvas the presenter sees: `[x, y, w, h]`.
    pub view: Option<[f32; 4]>,
}

/// One card on the board, for comment markers and picking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardInfo {
    pub id: u64,
    pub name: String,
    pub kind: String,
    pub rect: [f32; 4],
}

/// One probe as the console lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeInfo {
    pub key: String,
    pub subject: String,
    pub question: String,
    pub hint: String,
    /// The rule id for probes from findings, else empty.
    pub rule: String,
}

/// The board: the SVG drawing in pieces and what the page needs around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// The document identity (a new one after New, Open, a template).
    pub doc: u64,
    /// The drawing, escaped by `export`: `drawing.to_svg()` is the
    /// exported SVG.
    pub drawing: Drawing,
    pub cards: Vec<CardInfo>,
    pub probes: Vec<ProbeInfo>,
}

/// How a keyed list changed. Applying it: replace each `put` item whose
/// key is there, append the others (in their order), remove the `del`
/// keys, then, when `order` is given, arrange the list in that order of
/// keys (it is given whenever the first three steps alone would not give
/// the new order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListDelta<T, K> {
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub put: Vec<T>,
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub del: Vec<K>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<K>>,
}

impl<T, K> Default for ListDelta<T, K> {
    fn default() -> Self {
        Self {
            put: Vec::new(),
            del: Vec::new(),
            order: None,
        }
    }
}

impl<T: Clone + PartialEq, K: Clone + Eq + std::hash::Hash> ListDelta<T, K> {
    /// What turns `old` into `new`, items known by `key`; `None` when
    /// nothing changed.
    pub fn between(old: &[T], new: &[T], key: impl Fn(&T) -> K) -> Option<Self> {
        // Most edits keep every key in its place: compare side by side.
        if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| key(a) == key(b)) {
            let put: Vec<T> = old
                .iter()
                .zip(new)
                .filter(|(a, b)| a != b)
                .map(|(_, b)| b.clone())
                .collect();
            return (!put.is_empty()).then_some(Self {
                put,
                del: Vec::new(),
                order: None,
            });
        }
        let before: std::collections::HashMap<K, &T> = old.iter().map(|t| (key(t), t)).collect();
        let now: std::collections::HashSet<K> = new.iter().map(&key).collect();
        let put: Vec<T> = new
            .iter()
            .filter(|t| before.get(&key(t)).is_none_or(|was| *was != *t))
            .cloned()
            .collect();
        let del: Vec<K> = old.iter().map(&key).filter(|k| !now.contains(k)).collect();
        let old_keys: Vec<K> = old.iter().map(&key).collect();
        let new_keys: Vec<K> = new.iter().map(&key).collect();
        let order = crate::export::needs_order(&old_keys, &new_keys).then_some(new_keys);
        let delta = Self { put, del, order };
        (!delta.is_empty()).then_some(delta)
    }
}

impl<T, K> ListDelta<T, K> {
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.del.is_empty() && self.order.is_none()
    }
}

/// How the drawing changed: the parts given replace the old ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DrawingDelta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Rect>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// The pieces of each layer that changed, by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layers: BTreeMap<Layer, ListDelta<Piece, u64>>,
}

impl DrawingDelta {
    /// The delta for what [`crate::export::Redrawer::update`] reported.
    pub fn of(changes: Changes, drawing: &Drawing) -> Self {
        let mut layers: BTreeMap<Layer, ListDelta<Piece, u64>> = BTreeMap::new();
        for (layer, piece) in changes.drawn {
            layers.entry(layer).or_default().put.push(piece);
        }
        for (layer, id) in changes.removed {
            layers.entry(layer).or_default().del.push(id);
        }
        for layer in changes.reordered {
            let ids = drawing.layers.get(layer).iter().map(|p| p.id).collect();
            layers.entry(layer).or_default().order = Some(ids);
        }
        let text = |changed: bool, value: &str| changed.then(|| value.to_owned());
        Self {
            frame: changes.frame.then_some(drawing.frame),
            title: text(changes.title, &drawing.title),
            open: text(changes.open, &drawing.open),
            defs: text(changes.defs, &drawing.defs),
            background: text(changes.background, &drawing.background),
            layers,
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// How the board changed since the last message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardDelta {
    /// A new document identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<u64>,
    #[serde(default, skip_serializing_if = "DrawingDelta::is_empty")]
    pub drawing: DrawingDelta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<ListDelta<CardInfo, u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probes: Option<ListDelta<ProbeInfo, String>>,
}

impl BoardDelta {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// The interview state around the board.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InterviewState {
    pub phase: String,
    /// Seconds spent in the current phase when this was sent.
    pub phase_elapsed_s: f64,
    pub phase_planned_s: f64,
    pub total_elapsed_s: f64,
    pub total_planned_s: f64,
    pub running: bool,
    /// The present-mode step (0-based), or `None` when not presenting.
    pub step: Option<usize>,
    pub steps: usize,
    pub step_title: String,
    pub records: std::collections::BTreeMap<String, ProbeRecord>,
    pub comments: Vec<Comment>,
    pub curveballs: Vec<Curveball>,
}

impl InterviewState {
    /// What a session shows now.
    pub fn of(session: &crate::app::Session) -> Self {
        let interview = session.interview();
        let now = session.now().as_secs_f64();
        let timer = &interview.timer;
        let phase = timer.current();
        let diagram = session.diagram();
        let step = session.present_step();
        let step_title = step
            .and_then(|i| diagram.steps.get(i))
            .map(|s| s.title.clone())
            .unwrap_or_default();
        Self {
            phase: phase.label().to_owned(),
            phase_elapsed_s: timer.elapsed_s(phase, now),
            phase_planned_s: timer.planned_s(phase),
            total_elapsed_s: timer.total_elapsed_s(now),
            total_planned_s: timer.total_planned_s(),
            running: timer.is_running(),
            step,
            steps: diagram.steps.len(),
            step_title,
            records: interview.records.clone(),
            comments: interview.comments.clone(),
            curveballs: interview.curveballs.clone(),
        }
    }

    /// Whether two states differ in more than the clock's reading (the
    /// page advances a running clock by itself).
    pub fn differs_from(&self, other: &Self) -> bool {
        let strip = |s: &Self| Self {
            phase_elapsed_s: 0.0,
            total_elapsed_s: 0.0,
            ..s.clone()
        };
        strip(self) != strip(other)
    }
}

/// The scorecard as the interviewer's console shows it: the session being
/// recorded, scored so far, or the last recorded one. Sent only to viewers
/// who may rate (the interviewer link, or an observer the host granted
/// rating), in a `scorecard` message of its own: it carries no sequence
/// number and the latest one wins, like the pointer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorecardInfo {
    /// 1-based, as in the app's sessions list.
    pub session: usize,
    /// Still being recorded: the scores are so far.
    pub recording: bool,
    /// Out of 100.
    pub total: f64,
    pub dimensions: Vec<DimensionInfo>,
}

/// One weighted dimension of the scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionInfo {
    pub label: String,
    pub weight: u32,
    /// Out of `weight`.
    pub points: f64,
    pub criteria: Vec<CriterionInfo>,
}

/// One criterion: met or missed, why, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionInfo {
    pub id: String,
    pub title: String,
    pub met: bool,
    /// What decided it, in a few words.
    pub evidence: String,
    /// Where in the session it was earned or missed (ms from its start).
    pub offset_ms: u64,
    /// The same moment as the app shows it: "12:05".
    pub at: String,
}

impl ScorecardInfo {
    pub fn of(latest: &crate::app::LatestScorecard) -> Self {
        let dimensions = latest
            .card
            .dimensions
            .iter()
            .map(|d| DimensionInfo {
                label: d.dimension.label().to_owned(),
                weight: d.weight,
                points: d.points,
                criteria: d
                    .criteria
                    .iter()
                    .map(|c| CriterionInfo {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        met: c.met,
                        evidence: c.evidence.clone(),
                        offset_ms: c.offset_ms,
                        at: crate::interview::timer::format_clock(c.offset_ms as f64 / 1000.0),
                    })
                    .collect(),
            })
            .collect();
        Self {
            session: latest.number,
            recording: latest.recording,
            total: latest.card.total,
            dimensions,
        }
    }
}

/// A message from the host to a viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum HostMsg {
    Welcome {
        viewer: u64,
        role: Role,
        name: String,
    },
    Snapshot {
        seq: u64,
        board: Box<Board>,
        interview: InterviewState,
        pointer: Pointer,
    },
    /// What changed on the board (only what an edit touched).
    Delta {
        seq: u64,
        board: BoardDelta,
    },
    Interview {
        seq: u64,
        interview: InterviewState,
    },
    Pointer(Pointer),
    Reply {
        req: String,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    Error {
        error: String,
    },
    /// The host ended the session.
    Bye {
        reason: String,
    },
    /// The scorecard, for viewers who may rate; `None` when there is no
    /// session to score yet, or to take it away from a viewer whose rating
    /// was withdrawn.
    Scorecard {
        scorecard: Option<ScorecardInfo>,
    },
}

/// A rectangle as `[x, y, w, h]`.
pub fn rect4(r: Rect) -> [f32; 4] {
    [r.x, r.y, r.w, r.h]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_bad_ones_are_refused() {
        let ok = parse_viewer_msg(
            r#"{"t":"rate","req":"1","key":"design:trade-offs","rating":"Strong","note":"good"}"#,
        );
        assert!(matches!(ok, Ok(ViewerMsg::Rate { .. })), "{ok:?}");
        assert!(matches!(
            parse_viewer_msg(r#"{"t":"delete_everything"}"#),
            Err(ProtocolError::Malformed(_))
        ));
        assert!(matches!(
            parse_viewer_msg("not json"),
            Err(ProtocolError::Malformed(_))
        ));
        assert_eq!(
            parse_viewer_msg(r#"{"t":"pin","req":"","component":1,"text":"x"}"#),
            Err(ProtocolError::BadReq)
        );
        let big = format!(
            r#"{{"t":"pin","req":"1","component":1,"text":"{}"}}"#,
            "x".repeat(MAX_VIEWER_MESSAGE_BYTES)
        );
        assert_eq!(parse_viewer_msg(&big), Err(ProtocolError::TooLarge));
    }

    #[test]
    fn names_lose_control_characters_and_get_a_default() {
        assert_eq!(clean_name("Ada\u{1b}[31m", "Viewer 1"), "Ada[31m");
        assert_eq!(clean_name("  \n ", "Viewer 1"), "Viewer 1");
        assert_eq!(clean_name(&"a".repeat(100), "x").chars().count(), 40);
    }

    #[test]
    fn the_author_of_a_comment_is_the_viewer_not_the_message() {
        let msg = parse_viewer_msg(r#"{"t":"pin","req":"r","component":4,"text":"Why?"}"#)
            .unwrap_or(ViewerMsg::Resync);
        assert_eq!(
            msg.command("Ada"),
            Some(crate::app::Command::PinComment {
                component: crate::model::Id(4),
                text: "Why?".to_owned(),
                author: "Ada".to_owned(),
            })
        );
    }
}
