//! Numbers the way people say them: "10M" users, "2.5k" requests, "1e6",
//! "2KB", "1.5 GB", "200ms", "99.95%", "10:1". Every number field of the app
//! parses what is typed with [`parse`] and says what it understood with
//! [`describe`], so "10M" can never silently become 10.

use std::fmt;

/// What a field holds, which decides the units it accepts and the unit a
/// bare number is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// A plain count: users, requests, instances. Accepts k, M, B (or
    /// thousand, million, billion) and exponents.
    Count,
    /// A size in bytes. Accepts B, KB, MB, GB, TB, PB (powers of 1000) and
    /// KiB, MiB, GiB, TiB (powers of 1024).
    Bytes,
    /// A duration in milliseconds. Accepts ms, s, min, h, d.
    Milliseconds,
    /// A duration in seconds. Accepts ms, s, min, h, d.
    Seconds,
    /// A duration in minutes. Accepts s, min, h, d.
    Minutes,
    /// A duration in days. Accepts d, w, mo (30 days), y (365 days), h.
    Days,
    /// A percentage: "99.95%" or "99.95".
    Percent,
    /// A ratio: "10:1", "1:4" or a plain "10".
    Ratio,
}

/// Why a text is not a number of the field's kind. The messages are
/// written for the person typing.
#[derive(Clone, Debug, PartialEq)]
pub enum QuantityError {
    /// No number at the start ("lots", "M10").
    NotANumber,
    /// A unit this field does not take, with the units it does.
    UnknownUnit {
        unit: String,
        expected: &'static str,
    },
    Negative,
    /// Beyond what any field holds (or not finite).
    TooLarge,
    /// A ratio with a zero side ("1:0").
    ZeroRatio,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotANumber => write!(f, "Type a number, like 10M, 2.5k or 1e6"),
            Self::UnknownUnit { unit, expected } => {
                write!(f, "“{unit}” is not a unit here; use {expected}")
            }
            Self::Negative => write!(f, "The number cannot be negative"),
            Self::TooLarge => write!(f, "The number is too large"),
            Self::ZeroRatio => write!(f, "Neither side of a ratio can be zero"),
        }
    }
}

impl std::error::Error for QuantityError {}

/// The largest value any field takes (far above every real requirement).
const MAX: f64 = 1e15;

impl Quantity {
    fn expected_units(self) -> &'static str {
        match self {
            Self::Count => "k, M or B (10M, 2.5k) or an exponent (1e6)",
            Self::Bytes => "B, KB, MB, GB or TB (2KB, 1.5 GB)",
            Self::Milliseconds | Self::Seconds | Self::Minutes => "ms, s, min or h (200ms, 2 s)",
            Self::Days => "d, w, mo or y (30d, 7 years)",
            Self::Percent => "% (99.95%)",
            Self::Ratio => "a ratio like 10:1",
        }
    }

    /// The factor of a unit, relative to this field's own unit.
    fn factor(self, unit: &str) -> Option<f64> {
        let lower = unit.to_ascii_lowercase();
        let u = lower.as_str();
        match self {
            Self::Count => match unit {
                "k" | "K" => Some(1e3),
                "m" | "M" | "mn" => Some(1e6),
                "b" | "B" | "bn" | "G" => Some(1e9),
                "t" | "T" | "tn" => Some(1e12),
                _ => match u {
                    "thousand" | "thousands" => Some(1e3),
                    "million" | "millions" => Some(1e6),
                    "billion" | "billions" => Some(1e9),
                    "trillion" => Some(1e12),
                    _ => None,
                },
            },
            Self::Bytes => match u {
                "b" | "byte" | "bytes" => Some(1.0),
                "k" | "kb" => Some(1e3),
                "m" | "mb" => Some(1e6),
                "g" | "gb" => Some(1e9),
                "t" | "tb" => Some(1e12),
                "p" | "pb" => Some(1e15),
                "kib" => Some(1024.0),
                "mib" => Some(1024.0 * 1024.0),
                "gib" => Some(1024.0 * 1024.0 * 1024.0),
                "tib" => Some(1024.0 * 1024.0 * 1024.0 * 1024.0),
                _ => None,
            },
            Self::Milliseconds | Self::Seconds | Self::Minutes => {
                let ms = match u {
                    "ms" | "msec" | "millisecond" | "milliseconds" => Some(1.0),
                    "s" | "sec" | "secs" | "second" | "seconds" => Some(1e3),
                    "m" | "min" | "mins" | "minute" | "minutes" => Some(60e3),
                    "h" | "hr" | "hrs" | "hour" | "hours" => Some(3_600e3),
                    "d" | "day" | "days" => Some(86_400e3),
                    _ => None,
                }?;
                Some(match self {
                    Self::Seconds => ms / 1e3,
                    Self::Minutes => ms / 60e3,
                    _ => ms,
                })
            }
            Self::Days => match u {
                "h" | "hr" | "hour" | "hours" => Some(1.0 / 24.0),
                "d" | "day" | "days" => Some(1.0),
                "w" | "wk" | "week" | "weeks" => Some(7.0),
                "mo" | "month" | "months" => Some(30.0),
                "y" | "yr" | "yrs" | "year" | "years" => Some(365.0),
                _ => None,
            },
            Self::Percent => (u == "%" || u == "percent").then_some(1.0),
            Self::Ratio => None,
        }
    }
}

/// Parses what was typed into a field of `kind`. `Ok(None)` for an empty
/// field ("not stated"). Thousands separators (`10,000,000`, `10 000`,
/// `10_000`) are allowed.
pub fn parse(text: &str, kind: Quantity) -> Result<Option<f64>, QuantityError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if kind == Quantity::Ratio
        && let Some((left, right)) = text.split_once(':')
    {
        let (Some(a), Some(b)) = (plain_number(left.trim()), plain_number(right.trim())) else {
            return Err(QuantityError::NotANumber);
        };
        if a < 0.0 || b < 0.0 {
            return Err(QuantityError::Negative);
        }
        if a == 0.0 || b == 0.0 {
            return Err(QuantityError::ZeroRatio);
        }
        return checked(a / b);
    }
    let (number, unit) = split_number(text).ok_or(QuantityError::NotANumber)?;
    let unit = unit.trim();
    let factor = if unit.is_empty() {
        1.0
    } else {
        kind.factor(unit)
            .ok_or_else(|| QuantityError::UnknownUnit {
                unit: unit.to_owned(),
                expected: kind.expected_units(),
            })?
    };
    if number < 0.0 {
        return Err(QuantityError::Negative);
    }
    checked(number * factor)
}

fn checked(value: f64) -> Result<Option<f64>, QuantityError> {
    if !value.is_finite() || value > MAX {
        return Err(QuantityError::TooLarge);
    }
    // "-0" and "0e5" are plain zero.
    Ok(Some(if value == 0.0 { 0.0 } else { value }))
}

/// A number without a unit, separators allowed.
fn plain_number(text: &str) -> Option<f64> {
    match split_number(text) {
        Some((n, rest)) if rest.trim().is_empty() => Some(n),
        _ => None,
    }
}

/// Splits "2.5 k" into (2.5, " k"): the longest prefix that is a number
/// (sign, digits with separators, a decimal point, an exponent).
fn split_number(text: &str) -> Option<(f64, &str)> {
    let bytes = text.as_bytes();
    let mut end = 0;
    let mut digits = String::new();
    if let Some(&sign @ (b'-' | b'+')) = bytes.first() {
        digits.push(sign as char);
        end = 1;
    }
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&b) = bytes.get(end) {
        match b {
            b'0'..=b'9' => {
                digits.push(b as char);
                seen_digit = true;
            }
            b'.' if !seen_point => {
                digits.push('.');
                seen_point = true;
            }
            // A separator counts only between digits: "10,000" but not "10, ".
            b',' | b'_' | b' ' | b'\''
                if seen_digit
                    && !seen_point
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) =>
            {
                // A space before a unit ("1.5 GB") ends the number instead.
            }
            _ => break,
        }
        end += 1;
    }
    if !seen_digit {
        return None;
    }
    // An exponent: e or E, an optional sign, digits.
    if let Some(b'e' | b'E') = bytes.get(end) {
        let mut exp_end = end + 1;
        let mut exponent = String::from("e");
        if let Some(&sign @ (b'-' | b'+')) = bytes.get(exp_end) {
            exponent.push(sign as char);
            exp_end += 1;
        }
        let start = exp_end;
        while bytes.get(exp_end).is_some_and(u8::is_ascii_digit) {
            exponent.push(bytes[exp_end] as char);
            exp_end += 1;
        }
        if exp_end > start {
            digits.push_str(&exponent);
            end = exp_end;
        }
    }
    let number: f64 = digits.parse().ok()?;
    Some((number, text.get(end..).unwrap_or("")))
}

/// The text a field shows for a stored value: what [`describe`] says, in a
/// form [`parse`] reads back (a ratio as a plain number).
pub fn editable(value: f64, kind: Quantity) -> String {
    let words = match kind {
        Quantity::Ratio => short(value),
        _ => describe(value, kind),
    };
    if parse(&words, kind) == Ok(Some(value)) {
        return words;
    }
    // Rounded in words ("1.235 billion"): show the exact number instead.
    if value.fract() == 0.0 && value < 1e15 {
        grouped(value as u64)
    } else {
        short(value)
    }
}

/// An integer with thousands separators: 1,234,567,890.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What a value means, in words, for the line next to a field: "10 million
/// users", "2 KB", "200 ms", "99.95%".
pub fn describe(value: f64, kind: Quantity) -> String {
    match kind {
        Quantity::Count => scaled(
            value,
            &[
                (1e12, " trillion"),
                (1e9, " billion"),
                (1e6, " million"),
                (1e3, " thousand"),
            ],
        ),
        Quantity::Bytes => {
            let text = scaled(
                value,
                &[
                    (1e15, " PB"),
                    (1e12, " TB"),
                    (1e9, " GB"),
                    (1e6, " MB"),
                    (1e3, " KB"),
                ],
            );
            if value < 1e3 {
                format!("{text} bytes")
            } else {
                text
            }
        }
        Quantity::Milliseconds => duration(value / 1e3),
        Quantity::Seconds => duration(value),
        Quantity::Minutes => duration(value * 60.0),
        Quantity::Days => {
            if value >= 730.0 {
                format!("{} years", short(value / 365.0))
            } else {
                let unit = if value == 1.0 { "day" } else { "days" };
                format!("{} {unit}", short(value))
            }
        }
        Quantity::Percent => format!("{}%", short(value)),
        Quantity::Ratio => format!("{} reads per write", short(value)),
    }
}

/// `value` in the largest unit it reaches, with up to three significant
/// decimals ("2.5 thousand", "10 million").
fn scaled(value: f64, units: &[(f64, &str)]) -> String {
    for &(size, name) in units {
        if value >= size {
            return format!("{}{name}", short(value / size));
        }
    }
    short(value)
}

fn duration(seconds: f64) -> String {
    match seconds {
        s if s < 1.0 => format!("{} ms", short(s * 1e3)),
        s if s < 60.0 => format!("{} s", short(s)),
        s if s < 3_600.0 => format!("{} min", short(s / 60.0)),
        s if s < 86_400.0 => format!("{} h", short(s / 3_600.0)),
        s => format!("{} days", short(s / 86_400.0)),
    }
}

/// A number with at most three decimals and no trailing zeros.
fn short(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_people_type_parses_to_what_they_mean() {
        use Quantity::*;
        let cases: &[(&str, Quantity, f64)] = &[
            ("10M", Count, 10e6),
            ("10 million", Count, 10e6),
            ("2.5k", Count, 2_500.0),
            ("2.5 K", Count, 2_500.0),
            ("1e6", Count, 1e6),
            ("1.2E3", Count, 1_200.0),
            ("10,000,000", Count, 10e6),
            ("10 000", Count, 10_000.0),
            ("3B", Count, 3e9),
            ("300", Count, 300.0),
            ("2KB", Bytes, 2_000.0),
            ("1.5 GB", Bytes, 1.5e9),
            ("4 KiB", Bytes, 4_096.0),
            ("512", Bytes, 512.0),
            ("200ms", Milliseconds, 200.0),
            ("2 s", Milliseconds, 2_000.0),
            ("1.5s", Milliseconds, 1_500.0),
            ("250", Milliseconds, 250.0),
            ("10 min", Seconds, 600.0),
            ("10m", Seconds, 600.0),
            ("1h", Seconds, 3_600.0),
            ("30", Seconds, 30.0),
            ("1h", Minutes, 60.0),
            ("90", Minutes, 90.0),
            ("7 years", Days, 2_555.0),
            ("2w", Days, 14.0),
            ("90", Days, 90.0),
            ("99.95%", Percent, 99.95),
            ("99.9", Percent, 99.9),
            ("10:1", Ratio, 10.0),
            ("1:4", Ratio, 0.25),
            ("100", Ratio, 100.0),
            ("-0", Count, 0.0),
        ];
        for &(text, kind, expected) in cases {
            let got = parse(text, kind).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got, Some(expected), "{text} as {kind:?}");
        }
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        use Quantity::*;
        let cases: &[(&str, Quantity, &str)] = &[
            ("lots", Count, "Type a number"),
            ("M10", Count, "Type a number"),
            ("10 parsecs", Count, "not a unit here"),
            ("10MB", Count, "not a unit here"),
            ("2 stone", Bytes, "not a unit here"),
            ("5 light years", Milliseconds, "not a unit here"),
            ("-3", Count, "negative"),
            ("1e400", Count, "too large"),
            ("1e16", Count, "too large"),
            ("1:0", Ratio, "zero"),
            ("a:b", Ratio, "Type a number"),
            ("99.9 %%", Percent, "not a unit here"),
        ];
        for &(text, kind, message) in cases {
            let err = parse(text, kind).expect_err(text);
            assert!(
                err.to_string()
                    .to_lowercase()
                    .contains(&message.to_lowercase()),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn an_empty_field_is_not_stated() {
        assert_eq!(parse("  ", Quantity::Count), Ok(None));
    }

    #[test]
    fn values_are_described_in_words() {
        use Quantity::*;
        let cases: &[(f64, Quantity, &str)] = &[
            (10e6, Count, "10 million"),
            (2_500.0, Count, "2.5 thousand"),
            (1_234_567_890.0, Count, "1.235 billion"),
            (42.0, Count, "42"),
            (2_000.0, Bytes, "2 KB"),
            (512.0, Bytes, "512 bytes"),
            (1.5e9, Bytes, "1.5 GB"),
            (200.0, Milliseconds, "200 ms"),
            (1_500.0, Milliseconds, "1.5 s"),
            (600.0, Seconds, "10 min"),
            (2_555.0, Days, "7 years"),
            (1.0, Days, "1 day"),
            (99.95, Percent, "99.95%"),
            (10.0, Ratio, "10 reads per write"),
        ];
        for &(value, kind, text) in cases {
            assert_eq!(describe(value, kind), text, "{value} as {kind:?}");
        }
    }

    #[test]
    fn what_a_field_shows_reads_back_as_the_same_value() {
        use Quantity::*;
        for (value, kind) in [
            (10e6, Count),
            (2_500.0, Count),
            (2_000.0, Bytes),
            (1.5e9, Bytes),
            (200.0, Milliseconds),
            (600.0, Seconds),
            (60.0, Minutes),
            (2_555.0, Days),
            (99.95, Percent),
            (0.25, Ratio),
            (1_234_567_890.0, Count),
        ] {
            assert_eq!(
                parse(&editable(value, kind), kind),
                Ok(Some(value)),
                "{value} {kind:?}"
            );
        }
    }

    #[test]
    fn parse_and_describe_round_trip() {
        for value in [1.0, 12.0, 2_500.0, 10e6, 3.5e9] {
            let text = describe(value, Quantity::Count);
            let words = text.replace(" thousand", "k").replace(" million", "M");
            let words = words.replace(" billion", "B");
            assert_eq!(parse(&words, Quantity::Count), Ok(Some(value)), "{text}");
        }
    }
}
