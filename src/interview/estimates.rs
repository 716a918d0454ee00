//! Back-of-the-envelope numbers worked out from the stated [`Requirements`]:
//! request rates, the read/write split, storage growth and bandwidth.
//!
//! Every result carries its value, its unit and the formula with the actual
//! inputs, so the UI can show the working on hover and the report can print
//! it. A result whose inputs are not stated is `None`; nothing is guessed.
//!
//! Nothing prints `inf`, `NaN` or `-0`: an input that is not a finite
//! number of zero or more, or a result too large to print (beyond 10^33,
//! quetta), is left out and named in [`Estimates::problems`] instead.
//!
//! Known limits: sizes use decimal units (1 kB = 1,000 bytes), as estimates
//! in interviews usually do; bandwidth counts payloads only, not protocol
//! overhead; storage counts one copy per region and ignores indexes and
//! replicas inside a region.

use crate::model::Requirements;

/// Seconds in a day, the divisor that turns daily volumes into rates.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Days in a year, for storage growth.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// What an estimate measures, and so how its value is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Requests per second.
    RequestsPerSecond,
    /// Read requests per second.
    ReadsPerSecond,
    /// Write requests per second.
    WritesPerSecond,
    /// Bytes added per year.
    BytesPerYear,
    /// Bytes held at once.
    Bytes,
    /// Bits per second on the wire.
    BitsPerSecond,
}

impl Unit {
    /// The unit after the number, e.g. "req/s".
    pub fn suffix(self) -> &'static str {
        match self {
            Self::RequestsPerSecond => "req/s",
            Self::ReadsPerSecond => "reads/s",
            Self::WritesPerSecond => "writes/s",
            Self::BytesPerYear => "B/year",
            Self::Bytes => "B",
            Self::BitsPerSecond => "bit/s",
        }
    }
}

/// Which number an [`Estimate`] is, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EstimateKind {
    AverageRps,
    PeakRps,
    ReadsPerSecond,
    WritesPerSecond,
    PeakWritesPerSecond,
    StoragePerYear,
    StorageRetained,
    StorageAllRegions,
    BandwidthIn,
    BandwidthOut,
    PeakBandwidthOut,
}

impl EstimateKind {
    /// Every kind, in display order.
    pub const ALL: [Self; 11] = [
        Self::AverageRps,
        Self::PeakRps,
        Self::ReadsPerSecond,
        Self::WritesPerSecond,
        Self::PeakWritesPerSecond,
        Self::StoragePerYear,
        Self::StorageRetained,
        Self::StorageAllRegions,
        Self::BandwidthIn,
        Self::BandwidthOut,
        Self::PeakBandwidthOut,
    ];

    /// Sentence-case name, e.g. "Average requests per second".
    pub fn label(self) -> &'static str {
        match self {
            Self::AverageRps => "Average requests per second",
            Self::PeakRps => "Peak requests per second",
            Self::ReadsPerSecond => "Reads per second",
            Self::WritesPerSecond => "Writes per second",
            Self::PeakWritesPerSecond => "Peak writes per second",
            Self::StoragePerYear => "Storage added per year",
            Self::StorageRetained => "Storage over the retention period",
            Self::StorageAllRegions => "Storage across all regions",
            Self::BandwidthIn => "Bandwidth in (writes)",
            Self::BandwidthOut => "Bandwidth out (reads)",
            Self::PeakBandwidthOut => "Peak bandwidth out",
        }
    }

    /// The inputs this estimate needs, for a hint while it is missing.
    pub fn needs(self) -> &'static str {
        match self {
            Self::AverageRps => "Needs daily users and requests per user",
            Self::PeakRps => "Needs daily users, requests per user and the peak factor",
            Self::ReadsPerSecond | Self::WritesPerSecond => {
                "Needs daily users, requests per user and the read:write ratio"
            }
            Self::PeakWritesPerSecond => {
                "Needs daily users, requests per user, the read:write ratio and the peak factor"
            }
            Self::StoragePerYear | Self::BandwidthIn | Self::BandwidthOut => {
                "Needs the write rate (users, requests, read:write ratio) and the payload size"
            }
            Self::StorageRetained => "Needs the storage per year and the retention",
            Self::StorageAllRegions => "Needs the storage per year, the retention and the regions",
            Self::PeakBandwidthOut => "Needs the bandwidth out and the peak factor",
        }
    }
}

/// One worked-out number.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub kind: EstimateKind,
    /// The value in the base unit (requests, bytes or bits per second…).
    pub value: f64,
    pub unit: Unit,
    /// How the value was worked out, with the actual inputs.
    pub formula: String,
}

impl Estimate {
    /// Sentence-case name of the estimate.
    pub fn label(&self) -> &'static str {
        self.kind.label()
    }

    /// The value with a metric prefix and its unit, e.g. "11.6 k req/s".
    pub fn display(&self) -> String {
        format_value(self.value, self.unit)
    }
}

/// Every estimate the requirements allow, in [`EstimateKind::ALL`] order.
/// An estimate is absent when an input it needs is not stated, or is out of
/// range (then [`Estimates::problems`] says which).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Estimates {
    items: Vec<Estimate>,
    problems: Vec<String>,
}

impl Estimates {
    /// Works out every estimate that the stated inputs allow.
    pub fn from_requirements(req: &Requirements) -> Self {
        let mut out = Self::default();
        for (label, value) in [
            ("Requests per user per day", req.requests_per_user_per_day),
            ("Peak factor", req.peak_factor),
            ("Read:write ratio", req.read_write_ratio),
        ] {
            if let Some(v) = value
                && !usable(v)
            {
                out.problems.push(format!(
                    "{label} is out of range: it must be a finite number, zero or more"
                ));
            }
        }
        let mut too_large = Vec::new();
        compute(req, &mut |kind, value, unit, formula| {
            if value.is_finite() && value.abs() < LARGEST_SHOWN {
                out.items.push(Estimate {
                    kind,
                    value,
                    unit,
                    formula,
                });
            } else {
                too_large.push(kind);
            }
        });
        for kind in too_large {
            out.problems.push(format!(
                "{} is too large to work out; one of its inputs is out of range ({})",
                kind.label(),
                lower_first(kind.needs())
            ));
        }
        out.items.sort_by_key(|e| e.kind);
        out
    }

    /// Why estimates are missing although their inputs are stated: an
    /// input out of range, or a result too large to show. One sentence each.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The estimate of this kind, if its inputs are stated.
    pub fn get(&self, kind: EstimateKind) -> Option<&Estimate> {
        self.items.iter().find(|e| e.kind == kind)
    }

    /// The estimates that could be worked out, in display order.
    pub fn iter(&self) -> impl Iterator<Item = &Estimate> {
        self.items.iter()
    }

    /// Every kind in display order with its estimate, if any: for panels and
    /// reports that list what is still missing too.
    pub fn rows(&self) -> impl Iterator<Item = (EstimateKind, Option<&Estimate>)> {
        EstimateKind::ALL
            .into_iter()
            .map(|kind| (kind, self.get(kind)))
    }

    /// True when no estimate can be worked out yet.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Works the numbers out and hands each one to `emit`.
fn compute(req: &Requirements, emit: &mut dyn FnMut(EstimateKind, f64, Unit, String)) {
    use EstimateKind as K;
    let users = req
        .daily_active_users
        .map(|u| u as f64)
        .filter(|u| usable(*u));
    let per_user = req.requests_per_user_per_day.filter(|v| usable(*v));
    let peak_factor = req.peak_factor.filter(|v| usable(*v));
    let ratio = req.read_write_ratio.filter(|v| usable(*v));
    let payload = req.payload_bytes.map(|b| b as f64).filter(|b| usable(*b));
    let retention = req.retention_days.map(f64::from);
    let regions = req.regions.map(f64::from);
    let rps = |v| format_value(v, Unit::RequestsPerSecond);
    let size = |v| format_value(v, Unit::Bytes);

    let Some((users, per_user)) = users.zip(per_user) else {
        return;
    };
    let average = users * per_user / SECONDS_PER_DAY;
    emit(
        K::AverageRps,
        average,
        Unit::RequestsPerSecond,
        format!(
            "{} daily users × {} requests per user ÷ 86,400 s per day",
            req.daily_active_users.map_or_else(String::new, count_text),
            plain(per_user)
        ),
    );
    if let Some(factor) = peak_factor {
        emit(
            K::PeakRps,
            average * factor,
            Unit::RequestsPerSecond,
            format!("{} average × peak factor {}", rps(average), plain(factor)),
        );
    }

    let Some(ratio) = ratio else {
        return;
    };
    // "100 reads per write" means 101 requests, one of them a write.
    let writes = average / (ratio + 1.0);
    let reads = average - writes;
    let write_rate = format_value(writes, Unit::WritesPerSecond);
    let read_rate = format_value(reads, Unit::ReadsPerSecond);
    emit(
        K::ReadsPerSecond,
        reads,
        Unit::ReadsPerSecond,
        format!(
            "{} average × {} ÷ ({} + 1), for {} reads per write",
            rps(average),
            plain(ratio),
            plain(ratio),
            plain(ratio)
        ),
    );
    emit(
        K::WritesPerSecond,
        writes,
        Unit::WritesPerSecond,
        format!(
            "{} average ÷ ({} + 1), for {} reads per write",
            rps(average),
            plain(ratio),
            plain(ratio)
        ),
    );
    if let Some(factor) = peak_factor {
        emit(
            K::PeakWritesPerSecond,
            writes * factor,
            Unit::WritesPerSecond,
            format!("{write_rate} × peak factor {}", plain(factor)),
        );
    }

    let Some(payload) = payload else {
        return;
    };
    let bytes_per_day = writes * SECONDS_PER_DAY * payload;
    emit(
        K::StoragePerYear,
        bytes_per_day * DAYS_PER_YEAR,
        Unit::BytesPerYear,
        format!(
            "{write_rate} × 86,400 s × {} per write × 365 days",
            size(payload)
        ),
    );
    if let Some(days) = retention {
        let retained = bytes_per_day * days;
        emit(
            K::StorageRetained,
            retained,
            Unit::Bytes,
            format!(
                "{} per day × {} days kept",
                size(bytes_per_day),
                plain(days)
            ),
        );
        if let Some(regions) = regions {
            emit(
                K::StorageAllRegions,
                retained * regions,
                Unit::Bytes,
                format!(
                    "{} retained × {} region{} holding a copy",
                    size(retained),
                    plain(regions),
                    if regions == 1.0 { "" } else { "s" }
                ),
            );
        }
    }
    let bits_out = reads * payload * 8.0;
    emit(
        K::BandwidthIn,
        writes * payload * 8.0,
        Unit::BitsPerSecond,
        format!("{write_rate} × {} × 8 bits per byte", size(payload)),
    );
    emit(
        K::BandwidthOut,
        bits_out,
        Unit::BitsPerSecond,
        format!("{read_rate} × {} × 8 bits per byte", size(payload)),
    );
    if let Some(factor) = peak_factor {
        emit(
            K::PeakBandwidthOut,
            bits_out * factor,
            Unit::BitsPerSecond,
            format!(
                "{} × peak factor {}",
                format_value(bits_out, Unit::BitsPerSecond),
                plain(factor)
            ),
        );
    }
}

/// The largest magnitude shown (999.5 quetta); anything larger is reported
/// as out of range rather than printed.
const LARGEST_SHOWN: f64 = 999.5e30;

/// `text` with its first letter in lower case.
pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Inputs must be finite and not negative to count as stated.
fn usable(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

/// Formats a value in `unit` with a metric prefix and about three
/// significant digits: "11.6 k req/s", "4.2 TB/year", "38 Mbit/s".
pub fn format_value(value: f64, unit: Unit) -> String {
    let (base, per) = match unit {
        Unit::BytesPerYear => ("B", "/year"),
        Unit::Bytes => ("B", ""),
        Unit::BitsPerSecond => ("bit", "/s"),
        Unit::RequestsPerSecond | Unit::ReadsPerSecond | Unit::WritesPerSecond => {
            let (scaled, prefix) = scale(value);
            let space = if prefix.is_empty() { "" } else { " " };
            return format!("{}{space}{prefix} {}", digits(scaled), unit.suffix());
        }
    };
    let (scaled, prefix) = scale(value);
    format!("{} {prefix}{base}{per}", digits(scaled))
}

/// Splits a value into a number below 1,000 and a metric prefix. Sizes use
/// upper-case prefixes above kilo (kB, MB, GB…), as is usual.
fn scale(value: f64) -> (f64, &'static str) {
    const PREFIXES: [&str; 11] = ["", "k", "M", "G", "T", "P", "E", "Z", "Y", "R", "Q"];
    let mut scaled = value;
    let mut prefix = "";
    for (i, candidate) in PREFIXES.iter().enumerate() {
        prefix = candidate;
        // Printed without decimals, 999.5 would read "1000": use the next
        // prefix, while there is one.
        if scaled.abs() < 999.5 || i + 1 == PREFIXES.len() {
            break;
        }
        scaled /= 1000.0;
    }
    (scaled, prefix)
}

/// About three significant digits, with trailing zeros dropped.
fn digits(value: f64) -> String {
    // -0 and anything that rounds to it print as 0.
    let value = if value.abs() < 0.005 { 0.0 } else { value };
    let abs = value.abs();
    let decimals = if abs >= 100.0 || abs == 0.0 {
        0
    } else if abs >= 1.0 {
        1
    } else {
        2
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A whole count exactly, with thousands separators: "18,446,744,073,709,551,615".
/// (Through `f64`, counts above 2^53 would print rounded.)
pub fn count_text(value: u64) -> String {
    crate::io::thousands(value)
}

/// An input as typed, with thousands separators: "10,000,000", "2.5".
pub fn plain(value: f64) -> String {
    if !value.is_finite() {
        return "out of range".to_owned();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc();
    let fraction = rounded - whole;
    let mut text = String::new();
    let digits = format!("{:.0}", whole.abs());
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            text.push(',');
        }
        text.push(ch);
    }
    if rounded < 0.0 {
        text.insert(0, '-');
    }
    if fraction.abs() >= 0.005 {
        let tail = format!("{:.2}", fraction.abs());
        text.push_str(tail.trim_start_matches('0').trim_end_matches('0'));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A read-heavy URL shortener: 10 M users, 100 requests each a day.
    fn shortener() -> Requirements {
        Requirements {
            daily_active_users: Some(10_000_000),
            requests_per_user_per_day: Some(100.0),
            peak_factor: Some(3.0),
            read_write_ratio: Some(100.0),
            payload_bytes: Some(500),
            retention_days: Some(365 * 5),
            regions: Some(2),
            ..Requirements::default()
        }
    }

    fn shown(e: &Estimates, kind: EstimateKind) -> String {
        e.get(kind).map(Estimate::display).unwrap_or_default()
    }

    #[test]
    fn request_rates_come_from_users_and_requests_per_user() {
        let e = Estimates::from_requirements(&shortener());
        let average = e.get(EstimateKind::AverageRps).unwrap();
        assert!((average.value - 11_574.07).abs() < 0.01);
        assert_eq!(average.display(), "11.6 k req/s");
        assert_eq!(
            average.formula,
            "10,000,000 daily users × 100 requests per user ÷ 86,400 s per day"
        );
        assert_eq!(shown(&e, EstimateKind::PeakRps), "34.7 k req/s");
        assert_eq!(average.unit, Unit::RequestsPerSecond);
    }

    #[test]
    fn the_ratio_splits_reads_and_writes() {
        let e = Estimates::from_requirements(&shortener());
        let reads = e.get(EstimateKind::ReadsPerSecond).unwrap().value;
        let writes = e.get(EstimateKind::WritesPerSecond).unwrap().value;
        assert!((reads / writes - 100.0).abs() < 1e-9);
        assert!((reads + writes - 1_000_000_000.0 / 86_400.0).abs() < 1e-6);
        assert_eq!(shown(&e, EstimateKind::ReadsPerSecond), "11.5 k reads/s");
        assert_eq!(shown(&e, EstimateKind::WritesPerSecond), "115 writes/s");
        assert_eq!(shown(&e, EstimateKind::PeakWritesPerSecond), "344 writes/s");
    }

    #[test]
    fn storage_and_bandwidth_use_the_payload() {
        let e = Estimates::from_requirements(&shortener());
        // 1e9 / 101 writes a day × 500 B × 365 days = 1.807 TB.
        let year = e.get(EstimateKind::StoragePerYear).unwrap();
        assert!((year.value - 1e9 / 101.0 * 500.0 * 365.0).abs() < 1.0);
        assert_eq!(year.display(), "1.8 TB/year");
        assert_eq!(shown(&e, EstimateKind::StorageRetained), "9 TB");
        assert_eq!(shown(&e, EstimateKind::StorageAllRegions), "18.1 TB");
        assert_eq!(shown(&e, EstimateKind::BandwidthIn), "458 kbit/s");
        assert_eq!(shown(&e, EstimateKind::BandwidthOut), "45.8 Mbit/s");
        assert_eq!(shown(&e, EstimateKind::PeakBandwidthOut), "138 Mbit/s");
    }

    #[test]
    fn missing_inputs_leave_only_what_depends_on_them_empty() {
        let mut req = shortener();
        req.peak_factor = None;
        req.retention_days = None;
        let e = Estimates::from_requirements(&req);
        assert!(
            e.get(EstimateKind::AverageRps).is_some()
                && e.get(EstimateKind::StoragePerYear).is_some()
        );
        assert!(
            e.get(EstimateKind::PeakRps).is_none()
                && e.get(EstimateKind::PeakWritesPerSecond).is_none()
        );
        assert!(
            e.get(EstimateKind::StorageRetained).is_none()
                && e.get(EstimateKind::StorageAllRegions).is_none()
        );
        assert!(
            e.get(EstimateKind::PeakBandwidthOut).is_none()
                && e.get(EstimateKind::BandwidthOut).is_some()
        );

        req.read_write_ratio = None;
        let e = Estimates::from_requirements(&req);
        assert!(e.get(EstimateKind::AverageRps).is_some());
        assert!(
            e.get(EstimateKind::ReadsPerSecond).is_none()
                && e.get(EstimateKind::StoragePerYear).is_none()
        );

        let e = Estimates::from_requirements(&Requirements::default());
        assert!(e.is_empty());
        assert_eq!(e, Estimates::default());
    }

    #[test]
    fn unusable_inputs_count_as_not_stated() {
        let mut req = shortener();
        req.requests_per_user_per_day = Some(f64::NAN);
        assert!(Estimates::from_requirements(&req).is_empty());
        req.requests_per_user_per_day = Some(-3.0);
        assert!(Estimates::from_requirements(&req).is_empty());
    }

    #[test]
    fn write_only_workloads_have_no_reads() {
        let req = Requirements {
            read_write_ratio: Some(0.0),
            ..shortener()
        };
        let e = Estimates::from_requirements(&req);
        assert_eq!(shown(&e, EstimateKind::ReadsPerSecond), "0 reads/s");
        assert_eq!(shown(&e, EstimateKind::WritesPerSecond), "11.6 k writes/s");
    }

    #[test]
    fn values_are_printed_with_prefixes_and_units() {
        assert_eq!(format_value(0.0, Unit::RequestsPerSecond), "0 req/s");
        assert_eq!(format_value(0.042, Unit::RequestsPerSecond), "0.04 req/s");
        assert_eq!(format_value(1.157, Unit::RequestsPerSecond), "1.2 req/s");
        assert_eq!(format_value(999.96, Unit::RequestsPerSecond), "1 k req/s");
        assert_eq!(format_value(2.5e6, Unit::RequestsPerSecond), "2.5 M req/s");
        assert_eq!(format_value(4.2e12, Unit::BytesPerYear), "4.2 TB/year");
        assert_eq!(format_value(38e6, Unit::BitsPerSecond), "38 Mbit/s");
        assert_eq!(format_value(512.0, Unit::Bytes), "512 B");
        assert_eq!(format_value(1_500.0, Unit::Bytes), "1.5 kB");
        assert_eq!(format_value(3.2e15, Unit::Bytes), "3.2 PB");
    }

    #[test]
    fn out_of_range_inputs_and_results_are_named_never_printed() {
        let mut req = shortener();
        req.peak_factor = Some(f64::INFINITY);
        let e = Estimates::from_requirements(&req);
        assert!(e.get(EstimateKind::PeakRps).is_none());
        assert_eq!(
            e.problems(),
            ["Peak factor is out of range: it must be a finite number, zero or more"]
        );
        req.peak_factor = Some(3.0);
        req.requests_per_user_per_day = Some(1e300);
        req.daily_active_users = Some(u64::MAX);
        let e = Estimates::from_requirements(&req);
        let shown: Vec<String> = e
            .iter()
            .map(|x| format!("{} {}", x.display(), x.formula))
            .collect();
        for text in &shown {
            assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        }
        assert!(
            e.problems()
                .iter()
                .any(|p| p.starts_with("Average requests per second is too large to work out")),
            "{:?}",
            e.problems()
        );
        req.requests_per_user_per_day = Some(-0.0);
        let e = Estimates::from_requirements(&req);
        for x in e.iter() {
            assert!(!x.display().starts_with("-0"), "{}", x.display());
        }
        assert_eq!(format_value(-0.0, Unit::Bytes), "0 B");
        assert_eq!(format_value(-0.001, Unit::RequestsPerSecond), "0 req/s");
    }

    #[test]
    fn huge_values_keep_their_prefix_and_counts_print_exactly() {
        assert_eq!(format_value(2.5e24, Unit::Bytes), "2.5 YB");
        assert_eq!(format_value(7e30, Unit::Bytes), "7 QB");
        assert_eq!(count_text(u64::MAX), "18,446,744,073,709,551,615");
        let req = Requirements {
            daily_active_users: Some(9_007_199_254_740_993),
            requests_per_user_per_day: Some(1.0),
            ..Requirements::default()
        };
        let e = Estimates::from_requirements(&req);
        let average = e.get(EstimateKind::AverageRps).unwrap();
        assert!(
            average
                .formula
                .starts_with("9,007,199,254,740,993 daily users"),
            "{}",
            average.formula
        );
    }

    #[test]
    fn inputs_are_printed_with_thousands_separators() {
        assert_eq!(plain(10_000_000.0), "10,000,000");
        assert_eq!(plain(999.0), "999");
        assert_eq!(plain(1_000.0), "1,000");
        assert_eq!(plain(2.5), "2.5");
        assert_eq!(plain(0.25), "0.25");
        assert_eq!(plain(1_234.5), "1,234.5");
    }
}
