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

impl Requirements {
    /// The name of the first field that differs from `other` (for undo:
    /// typing into one field is one step, the next field another).
    pub fn changed_field(&self, other: &Requirements) -> &'static str {
        macro_rules! first_difference {
            ($($field:ident),+) => {
                $(if self.$field != other.$field {
                    return stringify!($field);
                })+
            };
        }
        first_difference!(
            functional,
            daily_active_users,
            requests_per_user_per_day,
            peak_factor,
            read_write_ratio,
            payload_bytes,
            retention_days,
            latency_target_ms,
            availability_percent,
            consistency,
            regions,
            compliance
        );
        "requirements"
    }
}
