//! What the design has to achieve: functional and non-functional requirements.
//! The checklist's requirement-aware rules read these.

use serde::{Deserialize, Serialize};

use super::ConsistencyNeed;

/// The requirements stated before designing. Every number is optional: an
/// empty field means "not stated yet".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Requirements {
    /// Short functional requirements ("users shorten a URL", …).
    pub functional: Vec<String>,
    pub daily_active_users: Option<u64>,
    pub requests_per_user_per_day: Option<f64>,
    /// Peak traffic as a multiple of the average.
    pub peak_factor: Option<f64>,
    /// Reads per write (e.g. 100 for a read-heavy redirect service).
    pub read_write_ratio: Option<f64>,
    pub payload_bytes: Option<u64>,
    pub retention_days: Option<u32>,
    pub latency_target_ms: Option<u32>,
    /// Availability as a percentage, e.g. 99.95.
    pub availability_percent: Option<f64>,
    pub consistency: ConsistencyNeed,
    pub regions: Option<u32>,
    pub compliance: String,
}
